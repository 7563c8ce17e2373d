#!/usr/bin/env bash
# The main job: installs what is missing (the Fashion-MNIST package), trains the guide's MLP on
# Fashion-MNIST, then tunes it with a short pruned study, and says where the results are.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/ensure-packages.sh
ensure_packages dataset-fashion-mnist

echo "== train: examples/fashion-mnist-mlp.yaml"
./sparta train examples/fashion-mnist-mlp.yaml --out runs/demo-mlp-$(date +%s)

echo "== tune: examples/fashion-mnist-mlp-search.yaml (TPE, median pruner)"
./sparta tune examples/fashion-mnist-mlp-search.yaml --trials 12 --sampler tpe --pruner median --seed 0
