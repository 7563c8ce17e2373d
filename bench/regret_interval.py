#!/usr/bin/env python3
"""Whether two samplers' median regrets differ more than their seeds make them vary.

    /usr/bin/python3 bench/regret_interval.py --minimum 0.397887357729738 SPARTA OPTUNA
    /usr/bin/python3 bench/regret_interval.py --minimum -195.830828518857 --samplers gp,tpe --names gp,tpe A.db A.db

The two files each hold one best value per seed: either a study database written by
`sparta tune-bench --storage sqlite:///FILE.db` or the peer's `--storage` (Optuna's schema; the
best complete value of each study named tune-bench-SAMPLER-SEED-*), or the text of the peer's
`--per-seed` (`seed=S best=V` lines). Regret = best - minimum. Prints each side's median regret,
their ratio with a bootstrap interval (seeds of each side resampled with replacement, 10,000
times, 5% and 95% percentiles), the two-sided Mann-Whitney p-value of the regrets, and the range
of medians over disjoint blocks of --block seeds (what a --block-seed run can show).
"""
import argparse
import re
import sqlite3
import statistics

import numpy as np
from scipy.stats import mannwhitneyu


def best_values(path, sampler):
    if path.endswith(".db"):
        rows = sqlite3.connect(path).execute(
            "SELECT s.study_name, MIN(v.value), COUNT(*) FROM studies s JOIN trials t ON t.study_id = s.study_id "
            "JOIN trial_values v ON v.trial_id = t.trial_id WHERE t.state = 'COMPLETE' GROUP BY s.study_id").fetchall()
        # A study still running (the benchmark not finished) has fewer trials than the others: left out.
        full = max(count for _, _, count in rows)
        names = [(re.match(r"tune-bench-(.+)-(\d+)-[0-9a-f]+$", name), value) for name, value, count in rows if count == full]
        pairs = [(int(m.group(2)), value) for m, value in names if sampler is None or m.group(1) == sampler]
    else:
        pairs = [(int(m.group(1)), float(m.group(2))) for line in open(path)
                 if (m := re.match(r"seed=(\d+) best=(\S+)$", line.strip()))]
    by_seed = dict(pairs)
    if len(by_seed) != len(pairs):
        raise SystemExit(f"{path}: a seed appears twice")
    return [by_seed[s] for s in sorted(by_seed)]


def split_outside_braces(text):
    """A,B where each may be a mapping holding commas ('{name: tpe, ei_candidates: 48},gp'), as `sparta tune-bench --samplers` splits it."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    # tune-bench names a study after the sampler's text without its spaces.
    return ["".join(p.split()) for p in parts]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minimum", type=float, required=True)
    parser.add_argument("--block", type=int, default=10)
    parser.add_argument("--samplers", default=None, help="A,B: the studies of sampler A in the first file, of B in the second (each a name or a mapping, as given to tune-bench)")
    parser.add_argument("--names", default="sparta,optuna", help="how to call the two sides")
    parser.add_argument("first")
    parser.add_argument("second")
    args = parser.parse_args()
    samplers = split_outside_braces(args.samplers) if args.samplers else [None, None]
    if len(samplers) != 2:
        raise SystemExit(f"--samplers: two samplers A,B, got {args.samplers!r}")
    first_sampler, second_sampler = samplers
    first_name, second_name = args.names.split(",")
    a = np.array(best_values(args.first, first_sampler)) - args.minimum
    b = np.array(best_values(args.second, second_sampler)) - args.minimum
    rng = np.random.default_rng(0)
    ratios = [np.median(rng.choice(a, a.size)) / np.median(rng.choice(b, b.size)) for _ in range(10_000)]
    low, high = np.percentile(ratios, [5, 95])
    blocks = lambda r: [float(np.median(r[i:i + args.block])) for i in range(0, r.size - args.block + 1, args.block)]
    print(f"{first_name} seeds={a.size} median_regret={np.median(a):.4g} "
          f"{args.block}-seed_block_medians={min(blocks(a)):.4g}..{max(blocks(a)):.4g}")
    print(f"{second_name} seeds={b.size} median_regret={np.median(b):.4g} "
          f"{args.block}-seed_block_medians={min(blocks(b)):.4g}..{max(blocks(b)):.4g}")
    print(f"{first_name}/{second_name}={np.median(a) / np.median(b):.3f} bootstrap_90pct={low:.3f}..{high:.3f} "
          f"mann_whitney_p={mannwhitneyu(a, b, alternative='two-sided').pvalue:.3f}")


if __name__ == "__main__":
    main()
