#!/usr/bin/env python3
"""Best-so-far curves of two sets of maximizing studies, and how soon each side reaches the second's median final best.

    /usr/bin/python3 bench/tuning_curves.py --names sparta,optuna sparta.db optuna.db [--trials 30] [--every 5]

Each side is a study database in Optuna's schema, or several separated by commas (Sparta's `--storage sqlite:///FILE.db`, or the
peer's `--storage`), one study per seed (a study with fewer than --trials trials, still running, is left out); trials are
read in number order, and a trial that did
not complete leaves the best unchanged. Prints each study's best value after every --every trials,
the median curve of each side, the target (the second side's median final best), and for each
study the first trial count whose best reaches the target ("never" when none does), then the
median of those counts per side (a study that never reaches it counts as one past its trials).
A best within --tolerance (default 1e-6) below the target reaches it: an accuracy is a count of
right images over the validation rows, which PyTorch rounds to float32 and Sparta keeps in double,
so the same 1673/1999 is 0.8369184732 on one side and 0.8369184592 on the other.
"""
import argparse
import sqlite3
import statistics


def curves(path, trials):
    db = sqlite3.connect(path)
    studies = db.execute("SELECT study_id, study_name FROM studies ORDER BY study_name").fetchall()
    result = {}
    for study_id, name in studies:
        rows = db.execute("SELECT t.number, t.state, v.value FROM trials t LEFT JOIN trial_values v ON v.trial_id = t.trial_id "
                          "AND v.objective = 0 WHERE t.study_id = ? ORDER BY t.number", (study_id,)).fetchall()
        best, curve = float("-inf"), []
        for _, state, value in rows:
            if state == "COMPLETE" and value is not None:
                best = max(best, value)
            curve.append(best)
        if len(curve) >= trials:
            result[name] = curve[:trials]
    return result


def studies(paths, trials):
    """The curves of the studies in one file, or in several separated by commas."""
    result = {}
    for path in paths.split(","):
        result.update(curves(path, trials))
    return result


def reached(curve, target, tolerance):
    return next((k + 1 for k, best in enumerate(curve) if best >= target - tolerance), None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", default="sparta,optuna")
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--every", type=int, default=5)
    parser.add_argument("--tolerance", type=float, default=1e-6)
    parser.add_argument("first")
    parser.add_argument("second")
    args = parser.parse_args()
    names = args.names.split(",")
    trials = args.trials
    sides = [studies(args.first, trials), studies(args.second, trials)]
    target = statistics.median(c[trials - 1] for c in sides[1].values())
    marks = list(range(args.every, trials + 1, args.every))
    print(f"trials={trials} target={target:.6f} ({names[1]}'s median best after {trials} trials)")
    print("study".ljust(32) + "".join(f"{k:>9}" for k in marks) + "  reaches_target")
    for name, side in zip(names, sides):
        counts = []
        for study, curve in side.items():
            count = reached(curve, target, args.tolerance)
            counts.append(count if count is not None else trials + 1)
            print(study.ljust(32) + "".join(f"{curve[k - 1]:9.4f}" for k in marks) + f"  {count if count is not None else 'never'}")
        median_curve = [statistics.median(c[k - 1] for c in side.values()) for k in marks]
        print(f"{name} median".ljust(32) + "".join(f"{v:9.4f}" for v in median_curve)
              + f"  median_trials_to_target={statistics.median(counts):g} studies={len(side)}")


if __name__ == "__main__":
    main()
