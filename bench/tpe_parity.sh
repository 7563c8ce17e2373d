#!/usr/bin/env bash
# TPE beside Optuna 3.1's on the issue's test functions: median regret (best value after the
# last trial minus the known minimum, median over seeds 0..N-1) of each tool and their ratio.
#   bench/tpe_parity.sh [SEEDS] [TRIALS]     (defaults: 50 seeds, 100 trials)
# Needs Debian's python3-optuna. Prints one line per function.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds="${1:-50}"
trials="${2:-100}"
declare -A minimum=([branin]=0.39788735772973816 [hartmann6]=-3.3223680114155153 [styblinski-tang:5]=-195.83082851885706)
best() { sed -n "s/.*median_best@$trials=\([^ ]*\).*/\1/p"; }
for f in branin hartmann6 styblinski-tang:5; do
  sparta=$("$root/sparta" tune-bench --objective "$f" --samplers tpe --seeds "$seeds" --trials "$trials" | best)
  optuna=$(/usr/bin/python3 "$root/bench/peers/optuna_testfunctions.py" --objective "$f" --samplers tpe --seeds "$seeds" --trials "$trials" | best)
  awk -v f="$f" -v s="$sparta" -v o="$optuna" -v m="${minimum[$f]}" -v n="$seeds" \
    'BEGIN { printf "%s seeds=%d sparta_regret=%.6g optuna_regret=%.6g sparta/optuna=%.3f\n", f, n, s - m, o - m, (s - m) / (o - m) }'
done
