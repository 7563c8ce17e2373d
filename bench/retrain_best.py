#!/usr/bin/env python3
"""Retrains the best configuration of each Fashion-MNIST MLP study with fresh training seeds: what a
study's choice gives on average, without the luck of the seed that made it the best.

    /usr/bin/python3 bench/retrain_best.py --seeds 101,102,103,104,105 --name gp gp-0.db,gp-1.db ... > retrained.txt

Each argument is a study database (several separated by commas) of bench/fashion-mnist-mlp-tune.yaml,
Sparta's or bench/peer_optuna_fmnist.py's (the same parameter names); for every study, its best complete
trial's units, l2, dropout and lr are trained again by `sparta train` on the file's validation rows, once
per seed (--trials N: the best of its first N trials). Prints `name=N study=S seed=K val_accuracy=A` per run, then per name the mean over studies of
each study's mean accuracy, with its standard error.
"""
import argparse
import csv
import math
import os
import sqlite3
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OVERRIDES = {"units": "model.layers.1.units", "l2": "model.layers.1.kernel_regularizer.l2",
             "dropout": "model.layers.2.rate", "lr": "optimizer.learning_rate"}


def best_trials(paths, trials):
    for path in paths.split(","):
        db = sqlite3.connect(path)
        for study_id, study in db.execute("SELECT study_id, study_name FROM studies ORDER BY study_name").fetchall():
            best = db.execute("SELECT t.trial_id FROM trials t JOIN trial_values v ON v.trial_id = t.trial_id AND v.objective = 0 "
                              "WHERE t.study_id = ? AND t.state = 'COMPLETE' AND t.number < ? ORDER BY v.value DESC, t.number LIMIT 1",
                              (study_id, trials)).fetchone()
            params = dict(db.execute("SELECT param_name, param_value FROM trial_params WHERE trial_id = ?", best).fetchall())
            yield study, params


def train(params, seed, sparta):
    with tempfile.TemporaryDirectory() as out:
        command = [sparta, "train", os.path.join(ROOT, "bench", "fashion-mnist-mlp-tune.yaml"), "--threads", "1", "--seed", str(seed),
                   "--set", "data.validation_seed=0", "--out", os.path.join(out, "run")]
        for name, key in OVERRIDES.items():
            value = int(params[name]) if name == "units" else params[name]
            command += ["--set", f"{key}={value!r}"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with open(os.path.join(out, "run", "history.csv")) as f:
            return float(list(csv.DictReader(f))[-1]["val_accuracy"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", default="101,102,103,104,105")
    parser.add_argument("--name", action="append", required=True, help="a name for each database argument, in order")
    parser.add_argument("--sparta", default=os.path.join(ROOT, "sparta"))
    parser.add_argument("--trials", type=int, default=1_000_000, help="the best of each study's first N trials")
    parser.add_argument("databases", nargs="+")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    summary = {}
    for name, paths in zip(args.name, args.databases):
        for study, params in best_trials(paths, args.trials):
            accuracies = []
            for seed in seeds:
                accuracies.append(train(params, seed, args.sparta))
                print(f"name={name} study={study} seed={seed} val_accuracy={accuracies[-1]:.6f}", flush=True)
            summary.setdefault(name, []).append(statistics.mean(accuracies))
    for name, means in summary.items():
        print(f"name={name} studies={len(means)} mean={statistics.mean(means):.4f} "
              f"standard_error={statistics.stdev(means) / math.sqrt(len(means)):.4f}")


if __name__ == "__main__":
    main()
