#!/usr/bin/env python3
"""A surrogate of the Fashion-MNIST MLP tuning task (bench/fashion-mnist-mlp-tune.yaml), fitted to its
recorded trials, so that samplers can be compared on hundreds of seeds instead of ten.

    /usr/bin/python3 bench/fmnist_surrogate.py build --out bench/fmnist-surrogate.json STUDY.db ...
    /usr/bin/python3 bench/fmnist_surrogate.py run --samplers optuna-tpe,optuna-random,oracle --seeds 400 --trials 30 > curves.txt
    ./sparta tune-bench --objective surrogate:bench/fmnist-surrogate.json --samplers tpe,gp --seeds 300 --trials 30 --curves > sparta.txt
    ./sparta tune-bench --objective surrogate:bench/fmnist-surrogate.json --samplers tpe,gp --seeds 300 --trials 30 --storage sqlite:///s.db
    /usr/bin/python3 bench/fmnist_surrogate.py curves-of s.db > sparta.txt   # the same lines, with the noise-free means
    /usr/bin/python3 bench/fmnist_surrogate.py compare --target-from optuna-tpe curves.txt ...

The task's four parameters map to [0, 1]^4: (units - 32) / 480, dropout / 0.5, and log l2, log lr
over their log ranges. A trial's validation accuracy is mean(u) + sd(u) z, z standard normal, clipped to
[0, 1]: mean is a Gaussian process's posterior mean (squared-exponential kernel, one length scale per
parameter, fitted by marginal likelihood to the recorded accuracies, those below 0.7 raised to 0.7 so
that a few diverged trials do not set the scale), sd the root of a kernel-weighted mean of the squared
leave-one-out residuals times noise_factor (0.85: the residuals hold the fit's error too): the training
seed's noise, larger where the learning rate is high. Sparta's
`tune-bench --objective surrogate:bench/fmnist-surrogate.json` evaluates the same file
(Sparta.Tuning.TestFunctions.SurrogateObjective) and minimizes 1 - accuracy, as `run` does here.

`run` drives Optuna 3.1's TPE (`optuna-tpe`), Optuna's random search (`optuna-random`) and an oracle that
draws only from the best region of the real trials (`oracle`: lr 7e-4..3.5e-3, units >= 256, dropout
<= 0.2, l2 <= 3e-4), printing each study's best-so-far 1 - accuracy after every trial, as Sparta's
`tune-bench --curves` does, and the surrogate's noise-free mean accuracy at the best trial so far
(what the chosen configuration gives on average: it separates finding good configurations from
drawing a lucky seed); `curves-of` prints the same lines from `tune-bench --storage` databases;
`compare` reads such lines and prints, per
sampler, the median trials to reach the target (a sampler's median best after the last trial) with a
bootstrap interval, the share of studies reaching it, the median best at every 5 trials, and an interval
for the median best after half the trials (reaching the target in half the trials means that median is
at least the target); and, where the lines carry them, the median noise-free means with intervals.
"""
import argparse
import glob
import json
import math
import random
import sqlite3
import statistics
import sys
import warnings

import numpy as np

PARAMS = [  # name, low, high, log, step (Sparta's IntDistribution for units)
    ("units", 32, 512, False, 32),
    ("dropout", 0.0, 0.5, False, None),
    ("l2", 1e-6, 1e-2, True, None),
    ("lr", 1e-4, 1e-1, True, None),
]
FLOOR = 0.7


def to_unit(values):
    """A trial's parameters (a dict) in [0, 1]^4."""
    u = []
    for name, low, high, log, _ in PARAMS:
        v = values[name]
        u.append((math.log(v) - math.log(low)) / (math.log(high) - math.log(low)) if log else (v - low) / (high - low))
    return u


def recorded_trials(paths):
    """(u, accuracy) of every complete trial of the task in the study databases, one per distinct parameters and value."""
    seen, points = set(), []
    for path in paths:
        db = sqlite3.connect(path)
        rows = db.execute("SELECT t.trial_id, p.param_name, p.param_value, v.value FROM trials t "
                          "JOIN trial_params p ON p.trial_id = t.trial_id JOIN trial_values v ON v.trial_id = t.trial_id "
                          "AND v.objective = 0 WHERE t.state = 'COMPLETE'").fetchall()
        trials = {}
        for trial_id, name, value, accuracy in rows:
            trials.setdefault(trial_id, {"y": accuracy})[name] = value
        for t in trials.values():
            if not all(p[0] in t for p in PARAMS):
                continue
            key = tuple(round(t[p[0]], 12) for p in PARAMS) + (round(t["y"], 6),)
            if key not in seen:
                seen.add(key)
                points.append((to_unit(t), t["y"]))
    return points


def kernel(a, b, scales, variance):
    d = (a[:, None, :] - b[None, :, :]) / scales
    return variance * np.exp(-0.5 * np.sum(d * d, axis=2))


def fit(x, y):
    """Length scales, signal and noise variances maximizing the marginal likelihood of a GP with a constant mean."""
    from scipy.optimize import minimize
    offset = float(np.mean(y))
    r = y - offset

    def negative_log_likelihood(theta):
        scales, variance, noise = np.exp(theta[:4]), math.exp(theta[4]), math.exp(theta[5])
        k = kernel(x, x, scales, variance) + noise * np.eye(len(x))
        try:
            c = np.linalg.cholesky(k)
        except np.linalg.LinAlgError:
            return 1e10
        a = np.linalg.solve(c.T, np.linalg.solve(c, r))
        return 0.5 * r @ a + np.sum(np.log(np.diag(c)))

    start = np.log([0.3, 0.3, 0.3, 0.15, np.var(r), np.var(r) / 4])
    theta = minimize(negative_log_likelihood, start, method="Nelder-Mead", options={"maxiter": 400, "xatol": 1e-3, "fatol": 1e-3}).x
    return np.exp(theta[:4]), math.exp(theta[4]), math.exp(theta[5]), offset


def build(args):
    points = recorded_trials(p for pattern in args.studies for p in sorted(glob.glob(pattern)))
    x = np.array([p[0] for p in points])
    y = np.maximum(np.array([p[1] for p in points]), FLOOR)
    rng = np.random.default_rng(0)
    subset = rng.choice(len(x), size=min(len(x), args.fit_points), replace=False)  # the likelihood's cost is cubic
    scales, variance, noise, offset = fit(x[subset], y[subset])
    k = kernel(x, x, scales, variance) + noise * np.eye(len(x))
    inverse = np.linalg.inv(k)
    alpha = inverse @ (y - offset)
    loo = alpha / np.diag(inverse)  # leave-one-out residuals, closed form
    model = {"parameters": [{"name": n, "low": lo, "high": hi, "log": log, "step": st} for n, lo, hi, log, st in PARAMS],
             "floor": FLOOR, "offset": offset, "signal_variance": variance, "fitted_noise_variance": noise,
             "length_scales": list(scales), "noise_scale": args.noise_scale, "noise_factor": args.noise_factor,
             "points": [[round(v, 6) for v in u] for u in x.tolist()], "alpha": [float(f"{a:.9g}") for a in alpha],
             "squared_residuals": [float(f"{r * r:.6g}") for r in loo],
             "values": [round(float(v), 6) for v in np.array([p[1] for p in points])]}
    # Points where Sparta's evaluation of this file must give the same mean and sd (its test reads them).
    surrogate = Surrogate(model)
    checks = np.vstack([x[:5], rng.uniform(size=(5, 4))])
    mean, sd = surrogate.mean_sd(checks)
    model["checks"] = [list(u) + [float(m), float(d)] for u, m, d in zip(checks.tolist(), mean, sd)]
    with open(args.out + ".tmp", "w") as f:
        json.dump(model, f, separators=(",", ":"))
    import os
    os.replace(args.out + ".tmp", args.out)
    print(f"points={len(x)} length_scales={np.round(scales, 4).tolist()} signal_sd={math.sqrt(variance):.4f} "
          f"noise_sd={math.sqrt(noise):.4f} offset={offset:.4f} loo_rmse={math.sqrt(np.mean(loo ** 2)):.4f}", file=sys.stderr)


class Surrogate:
    def __init__(self, model):
        if isinstance(model, str):
            with open(model) as f:
                model = json.load(f)
        m = model
        self.points = np.array(m["points"])
        self.alpha = np.array(m["alpha"])
        self.squared = np.array(m["squared_residuals"])
        self.scales = np.array(m["length_scales"])
        self.noise_scales = self.scales * m["noise_scale"]
        self.variance, self.offset, self.noise_factor = m["signal_variance"], m["offset"], m["noise_factor"]

    def mean_sd(self, u):
        u = np.atleast_2d(u)
        mean = self.offset + kernel(u, self.points, self.scales, self.variance) @ self.alpha
        w = kernel(u, self.points, self.noise_scales, 1.0)
        sd = self.noise_factor * np.sqrt(w @ self.squared / np.sum(w, axis=1))
        return mean, sd

    def mean(self, values):
        return float(self.mean_sd(to_unit(values))[0][0])

    def accuracy(self, values, rng):
        mean, sd = self.mean_sd(to_unit(values))
        return min(1.0, max(0.0, float(mean[0] + sd[0] * rng.standard_normal())))


def suggest(trial, oracle_rng=None):
    """The task's parameters from an Optuna trial, or drawn uniformly from the best region (the oracle)."""
    if oracle_rng is not None:
        return {"units": int(oracle_rng.choice(range(256, 513, 32))), "dropout": oracle_rng.uniform(0, 0.2),
                "l2": math.exp(oracle_rng.uniform(math.log(1e-6), math.log(3e-4))),
                "lr": math.exp(oracle_rng.uniform(math.log(7e-4), math.log(3.5e-3)))}
    return {"units": trial.suggest_int("units", 32, 512, step=32), "dropout": trial.suggest_float("dropout", 0.0, 0.5),
            "l2": trial.suggest_float("l2", 1e-6, 1e-2, log=True), "lr": trial.suggest_float("lr", 1e-4, 1e-1, log=True)}


def run(args):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore")
    surrogate = Surrogate(args.surrogate)
    for name in args.samplers.split(","):
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            noise = np.random.default_rng([seed, 7919])
            curve, means, best, best_mean = [], [], 1.0, 0.0

            def record(values, error):
                nonlocal best, best_mean
                if error < best:
                    best, best_mean = error, surrogate.mean(values)
                curve.append(best)
                means.append(best_mean)

            if name == "oracle":
                draws = np.random.default_rng([seed, 104729])
                for _ in range(args.trials):
                    values = suggest(None, draws)
                    record(values, 1 - surrogate.accuracy(values, noise))
            else:
                sampler = {"optuna-tpe": lambda: optuna.samplers.TPESampler(seed=seed),
                           "optuna-tpe-multivariate": lambda: optuna.samplers.TPESampler(seed=seed, multivariate=True),
                           "optuna-random": lambda: optuna.samplers.RandomSampler(seed=seed)}[name]()
                study = optuna.create_study(sampler=sampler)
                for _ in range(args.trials):
                    trial = study.ask()
                    values = suggest(trial)
                    error = 1 - surrogate.accuracy(values, noise)
                    study.tell(trial, error)  # minimized, as Sparta's tune-bench does
                    record(values, error)
            print_curve(name, seed, curve, means)


def print_curve(name, seed, curve, means):
    """A study's line: the best 1 - accuracy after each trial, and the surrogate's noise-free mean accuracy at that best trial."""
    print(f"sampler={name} seed={seed} curve=" + ",".join(repr(v) for v in curve)
          + " mean=" + ",".join(f"{v:.6f}" for v in means), flush=True)


def curves_of(args):
    """The lines of `run` from the studies of `tune-bench --storage` databases (study names tune-bench-SAMPLER-SEED-ID)."""
    surrogate = Surrogate(args.surrogate)
    for path in args.databases:
        db = sqlite3.connect(path)
        for study_id, study in db.execute("SELECT study_id, study_name FROM studies ORDER BY study_id").fetchall():
            parts = study.split("-")
            rows = db.execute("SELECT t.trial_id, v.value, p.param_name, p.param_value FROM trials t "
                              "JOIN trial_values v ON v.trial_id = t.trial_id JOIN trial_params p ON p.trial_id = t.trial_id "
                              "WHERE t.study_id = ? AND t.state = 'COMPLETE' ORDER BY t.number", (study_id,)).fetchall()
            trials = {}
            for trial_id, value, name, param in rows:
                trials.setdefault(trial_id, {"error": value})[name] = param
            curve, means, best, best_mean = [], [], 1.0, 0.0
            for t in trials.values():  # insertion order: trial number
                if t["error"] < best:
                    best, best_mean = t["error"], surrogate.mean(t)
                curve.append(best)
                means.append(best_mean)
            print_curve("-".join(parts[2:-2]), parts[-2], curve, means)


def read_curves(paths):
    """{sampler: best-so-far accuracy curves} and {sampler: noise-free means at the best trial}, from `run`'s or tune-bench's lines."""
    sides, means = {}, {}
    for path in paths:
        with open(path) as f:
            for line in f:
                if line.startswith("sampler="):
                    fields = dict(part.split("=", 1) for part in line.split())
                    # best-so-far of 1 - accuracy (Sparta's tune-bench --curves and `run` minimize it), read as accuracy
                    sides.setdefault(fields["sampler"], []).append([1 - float(v) for v in fields["curve"].split(",")])
                    if "mean" in fields:
                        means.setdefault(fields["sampler"], []).append([float(v) for v in fields["mean"].split(",")])
    return sides, means


def trials_to(curve, target):
    return next((k + 1 for k, v in enumerate(curve) if v >= target - 1e-9), len(curve) + 1)


def compare(args):
    sides, means = read_curves(args.curves)
    trials = min(len(c) for curves in sides.values() for c in curves)
    target = statistics.median(c[trials - 1] for c in sides[args.target_from])
    rng = random.Random(0)
    reference = [trials_to(c, target) for c in sides[args.target_from]]
    marks = list(range(5, trials + 1, 5))
    print(f"target={target:.6f} ({args.target_from}'s median best after {trials} trials); "
          f"trials to reach it: median, 90% bootstrap interval, ratio to {args.target_from}'s median with its interval")
    half = trials // 2
    print("studies  median  interval     ratio  interval    reached" + "".join(f"  best@{k:<2}" for k in marks)
          + f"  best@{half} interval  sampler")
    for name, curves in sides.items():
        counts = [trials_to(c, target) for c in curves]
        boot, ratios = [], []
        for _ in range(2000):
            m = statistics.median(rng.choices(counts, k=len(counts)))
            boot.append(m)
            ratios.append(m / statistics.median(rng.choices(reference, k=len(reference))))
        boot.sort(), ratios.sort()
        median = statistics.median(counts)
        reached = sum(c <= trials for c in counts) / len(counts)
        bests = [statistics.median(c[k - 1] for c in curves) for k in marks]
        halves = sorted(statistics.median(rng.choices([c[half - 1] for c in curves], k=len(curves))) for _ in range(2000))
        print(f"{len(curves):7d}  {median:6.1f}  {boot[100]:4.1f}-{boot[1899]:<4.1f}  {median / statistics.median(reference):5.2f}  "
              f"{ratios[100]:4.2f}-{ratios[1899]:<4.2f}  {reached:7.0%}" + "".join(f"  {b:.4f}" for b in bests)
              + f"  {halves[100]:.4f}-{halves[1899]:.4f}  {name}")
    if means:
        print("noise-free mean accuracy of each study's best trial (the surrogate's mean there): median with its 90% bootstrap interval")
        print("studies" + "".join(f"  mean@{k:<2}" for k in marks) + f"  mean@{half} interval  mean@{trials} interval  sampler")
        for name, curves in means.items():
            at = lambda k: sorted(statistics.median(rng.choices([c[k - 1] for c in curves], k=len(curves))) for _ in range(2000))
            h, t = at(half), at(trials)
            print(f"{len(curves):7d}" + "".join(f"  {statistics.median(c[k - 1] for c in curves):.4f}" for k in marks)
                  + f"  {h[100]:.4f}-{h[1899]:.4f}  {t[100]:.4f}-{t[1899]:.4f}  {name}")


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build")
    b.add_argument("--out", default="bench/fmnist-surrogate.json")
    b.add_argument("--fit-points", type=int, default=1200)
    b.add_argument("--noise-scale", type=float, default=0.25, help="the noise's kernel widths, in the mean's length scales")
    b.add_argument("--noise-factor", type=float, default=0.85,
                   help="scales the noise: the leave-one-out residuals hold the fit's error too; 0.85 gives the share of recorded trials above 0.83842")
    b.add_argument("studies", nargs="+", help="study databases of the task (globs)")
    r = commands.add_parser("run")
    r.add_argument("--surrogate", default="bench/fmnist-surrogate.json")
    r.add_argument("--samplers", default="optuna-tpe,optuna-random,oracle")
    r.add_argument("--seeds", type=int, default=300)
    r.add_argument("--first-seed", type=int, default=0)
    r.add_argument("--trials", type=int, default=30)
    c = commands.add_parser("curves-of")
    c.add_argument("--surrogate", default="bench/fmnist-surrogate.json")
    c.add_argument("databases", nargs="+")
    m = commands.add_parser("compare")
    m.add_argument("--target-from", default="optuna-tpe")
    m.add_argument("curves", nargs="+")
    args = parser.parse_args()
    {"build": build, "run": run, "curves-of": curves_of, "compare": compare}[args.command](args)


if __name__ == "__main__":
    main()
