#!/usr/bin/env python3
"""Optuna's side of `sparta tune-bench`: the same test functions, seeds, checkpoints and
measurements, printed in the same one-line format.

    /usr/bin/python3 bench/peers/optuna_testfunctions.py --objective branin --samplers random,tpe \
        --seeds 20 --trials 100 --checkpoints 50,100 [--storage sqlite:////tmp/optuna.db] [--first-seed 0] [--per-seed]

Quality: the median over seeds of the best value after each checkpoint. Overhead: the time a
trial takes besides evaluating the function (suggesting is the sampler's work), median over
all trials and over the last 10%; cpu_ms_per_trial is the process's CPU time per trial.
Studies live in memory unless --storage names a database (each seed a new study in it).
--per-seed also prints `seed=S best=V` (the best value after the last trial) as each study ends,
--curves `seed=S curve=V1,V2,...` (the best after each trial), the inputs of bench/regret_interval.py; --first-seed runs seeds S..S+N-1 (to split a long run).
"""
import argparse
import math
import statistics
import time
import uuid
import warnings

import optuna


def branin(x):
    a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x[1] - b * x[0] ** 2 + c * x[0] - r) ** 2 + s * (1 - t) * math.cos(x[0]) + s


HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
              [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    return -sum(HARTMANN_ALPHA[i] * math.exp(-sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6)))
                for i in range(4))


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def styblinski_tang(x):
    return 0.5 * sum(v ** 4 - 16 * v ** 2 + 5 * v for v in x)


def parse_objective(spec):
    name, _, dim = spec.partition(":")
    if name == "branin":
        return "branin", branin, [(-5.0, 10.0), (0.0, 15.0)]
    if name == "hartmann6":
        return "hartmann6", hartmann6, [(0.0, 1.0)] * 6
    if name == "rosenbrock":
        return spec, rosenbrock, [(-5.0, 10.0)] * int(dim)
    if name == "styblinski-tang":
        return spec, styblinski_tang, [(-5.0, 5.0)] * int(dim)
    raise SystemExit(f"unknown objective '{spec}'")


def make_sampler(name, seed):
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "tpe-multivariate":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if name == "sobol":
        return optuna.samplers.QMCSampler(qmc_type="sobol", scramble=True, seed=seed)
    raise SystemExit(f"unknown sampler '{name}'")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--objective", default="branin")
    parser.add_argument("--samplers", default="random,tpe")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--checkpoints", default=None)
    parser.add_argument("--storage", default=None)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--per-seed", action="store_true")
    parser.add_argument("--curves", action="store_true")
    args = parser.parse_args()
    checkpoints = [int(c) for c in (args.checkpoints or str(args.trials)).split(",")]
    label, function, bounds = parse_objective(args.objective)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore")

    for sampler_name in args.samplers.split(","):
        best_at = [[] for _ in checkpoints]
        overheads, late = [], []
        cpu_total, trial_total = 0.0, 0
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            study = optuna.create_study(sampler=make_sampler(sampler_name, seed), storage=args.storage,
                                        study_name=f"tune-bench-{sampler_name}-{seed}-{uuid.uuid4().hex}")
            state = {"best": math.inf, "objective": 0.0, "start": time.perf_counter(), "curve": []}

            def objective(trial):
                x = [trial.suggest_float(f"x{i + 1}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
                t0 = time.perf_counter()
                value = function(x)
                state["objective"] = time.perf_counter() - t0
                return value

            def callback(study, trial):
                now = time.perf_counter()
                seconds = now - state["start"] - state["objective"]
                state["start"] = now
                overheads.append(seconds)
                if trial.number >= args.trials - max(args.trials // 10, 1):
                    late.append(seconds)
                if trial.value is not None:
                    state["best"] = min(state["best"], trial.value)
                state["curve"].append(state["best"])
                for i, c in enumerate(checkpoints):
                    if trial.number + 1 == c:
                        best_at[i].append(state["best"])

            cpu0 = time.process_time()
            study.optimize(objective, n_trials=args.trials, callbacks=[callback])
            cpu_total += time.process_time() - cpu0
            trial_total += args.trials
            if args.per_seed:
                print(f"seed={seed} best={state['best']!r}", flush=True)
            if args.curves:
                print(f"seed={seed} curve=" + ",".join(repr(v) for v in state["curve"]), flush=True)
        quality = " ".join(f"median_best@{c}={statistics.median(best_at[i]):.6g}" for i, c in enumerate(checkpoints))
        print(f"tool=optuna-{optuna.__version__} objective={label} sampler={sampler_name} storage={args.storage or 'memory'} seeds={args.seeds} {quality} "
              f"overhead_ms_median={statistics.median(overheads) * 1e3:.3f} overhead_ms_last10pct={statistics.median(late) * 1e3:.3f} "
              f"cpu_ms_per_trial={cpu_total / trial_total * 1e3:.3f}")


if __name__ == "__main__":
    main()
