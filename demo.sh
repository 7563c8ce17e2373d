#!/usr/bin/env bash
# The main job: installs what is missing (the Fashion-MNIST package), trains the guide's MLP on
# Fashion-MNIST, tunes it with a short pruned study, writes the reports and says where they are.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/ensure-packages.sh
ensure_packages dataset-fashion-mnist libonnx-dev

stamp=$(date +%Y%m%d-%H%M%S)
run_dir="runs/demo-mlp-$stamp"
study="demo-mlp-search-$stamp"
storage="sqlite:///runs/demo-studies.db"
mkdir -p runs

echo "== train: examples/fashion-mnist-mlp.yaml"
./sparta train examples/fashion-mnist-mlp.yaml --out "$run_dir"

echo "== report of the run (sparta train wrote it already; sparta report RUN_DIR writes it again from the run's files)"
./sparta report "$run_dir"

echo "== tune: examples/fashion-mnist-mlp-search.yaml (TPE, median pruner; the study report is written when it ends)"
./sparta tune examples/fashion-mnist-mlp-search.yaml --trials 12 --sampler tpe --pruner median --seed 0 \
  --storage "$storage" --study "$study" --best-out "runs/$study-best.yaml"

echo
echo "== results"
echo "run directory:     $run_dir"
echo "run report:        $run_dir/report.html"
echo "study report:      runs/$study-report.html   (again any time: ./sparta report --study $study --storage $storage)"
echo "best experiment:   runs/$study-best.yaml      (train it: ./sparta train runs/$study-best.yaml)"
