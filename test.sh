#!/usr/bin/env bash
# Runs every test of the solution, installing what the tests need first, and ends with one line
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/ensure-packages.sh
ensure_packages dataset-fashion-mnist python3-sklearn python3-optuna python3-numpy python3-psycopg2 postgresql sqlite3 librsvg2-bin
# The zoo tests compare with torchvision's architectures; OpenBLAS, because without it PyTorch runs the
# reference BLAS, and the benchmarks' peer (bench/peer_torch.py, bench/peer_zoo.py) would be many times slow.
ensure_packages python3-torch python3-torchvision libopenblas0-pthread
# The ONNX tests: the official onnx.proto, ONNX's conformance cases and onnx.checker.
ensure_packages libonnx-dev libonnx-testdata python3-onnx
# The dashboard's and the reports' browser tests run headless Chromium through playwright-core.
ensure_browser_tests
# The storage tests run against a real PostgreSQL server on 127.0.0.1 (SPARTA_TEST_POSTGRES).
eval "$(scripts/start-postgres.sh)"

log=$(mktemp)
dotnet test Sparta.sln -c Release -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The kernel, gradient and optimizer tests again with AVX-512 and then AVX2 turned off, so the 256-bit and
# 128-bit vector paths (those of most laptops, and of ARM64's NEON) run wherever the suite runs.
portable_filter='FullyQualifiedName~Sparta.Tests.Kernels|FullyQualifiedName~Sparta.Tests.Autograd|FullyQualifiedName~Sparta.Tests.Optimizers'
for setting in DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0; do
  echo "== $setting: $portable_filter"
  env "$setting" dotnet test tests/Sparta.Tests -c Release --no-build -nologo --filter "$portable_filter" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build error fails the run
# The packages, used from a folder feed by a project outside the source tree, and the tool installed from it.
if scripts/check-packages.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
echo "$passed passed, $failed failed"
exit "$status"
