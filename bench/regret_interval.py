#!/usr/bin/env python3
"""Whether two samplers' median regrets differ more than their seeds make them vary.

    /usr/bin/python3 bench/regret_interval.py --minimum 0.397887357729738 SPARTA OPTUNA
    /usr/bin/python3 bench/regret_interval.py --minimum -195.830828518857 --samplers gp,tpe --names gp,tpe A.db A.db

Each side is a file, or several separated by commas, holding one best value per seed: a study
database written by `sparta tune-bench --storage sqlite:///FILE.db` or the peer's `--storage`
(Optuna's schema; the best complete value of each study named tune-bench-SAMPLER-SEED-*), or the
text of the peer's `--per-seed` (`seed=S best=V` lines) or `--curves` (`seed=S curve=V1,V2,...`,
the best after each trial). `--at N` compares the bests after N trials (databases and curves).
Regret = best - minimum. Prints each side's median regret,
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


def best_values(paths, sampler, at=None):
    """One best value per seed from the files of one side (comma-separated); with `at`, the best of the first `at` trials."""
    pairs = []
    for path in paths.split(","):
        pairs += seed_bests(path, sampler, at)
    by_seed = dict(pairs)
    if len(by_seed) != len(pairs):
        raise SystemExit(f"{paths}: a seed appears twice")
    return [by_seed[s] for s in sorted(by_seed)]


def seed_bests(path, sampler, at):
    if path.endswith(".db"):
        db = sqlite3.connect(path)
        rows = db.execute(
            "SELECT s.study_id, s.study_name, COUNT(*) FROM studies s JOIN trials t ON t.study_id = s.study_id "
            "WHERE t.state = 'COMPLETE' GROUP BY s.study_id").fetchall()
        # A study still running (the benchmark not finished) has fewer trials than the others: left out.
        full = max(count for _, _, count in rows)
        pairs = []
        for study_id, name, count in rows:
            m = re.match(r"tune-bench-(.+)-(\d+)-[0-9a-f]+$", name)
            if count != full or (sampler is not None and m.group(1) != sampler):
                continue
            values = [v for (v,) in db.execute(
                "SELECT v.value FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id "
                "WHERE t.study_id = ? AND t.state = 'COMPLETE' ORDER BY t.number", (study_id,))]
            pairs.append((int(m.group(2)), min(values[:at])))
        return pairs
    pairs = []
    for line in open(path):
        if m := re.match(r"seed=(\d+) best=(\S+)$", line.strip()):
            if at is not None:
                raise SystemExit(f"{path}: --at needs whole curves (the peer's --curves), this file holds only each seed's best")
            pairs.append((int(m.group(1)), float(m.group(2))))
        elif m := re.match(r"seed=(\d+) curve=(\S+)$", line.strip()):
            curve = [float(v) for v in m.group(2).split(",")]
            pairs.append((int(m.group(1)), curve[(at or len(curve)) - 1]))
    return pairs


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
    parser.add_argument("--at", type=int, default=None, help="the best after this many trials (default: after the last)")
    parser.add_argument("first")
    parser.add_argument("second")
    args = parser.parse_args()
    samplers = split_outside_braces(args.samplers) if args.samplers else [None, None]
    if len(samplers) != 2:
        raise SystemExit(f"--samplers: two samplers A,B, got {args.samplers!r}")
    first_sampler, second_sampler = samplers
    first_name, second_name = args.names.split(",")
    a = np.array(best_values(args.first, first_sampler, args.at)) - args.minimum
    b = np.array(best_values(args.second, second_sampler, args.at)) - args.minimum
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
