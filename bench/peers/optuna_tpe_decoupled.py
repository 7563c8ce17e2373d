#!/usr/bin/env python3
"""Optuna 3.1's TPE on styblinski-tang:5 with its candidate stream seeded apart from its start-up
RandomSampler's. The stock TPESampler(seed) gives both numpy.random.RandomState(seed), so the first
TPE trial's candidates are drawn from the very uniforms that placed the start-up trials; here the
candidate stream is RandomState(seed + 1000003) instead. Prints `seed=S best=V` per study, the
input of bench/regret_interval.py.

    /usr/bin/python3 bench/peers/optuna_tpe_decoupled.py --seeds 50 > optuna-decoupled.txt
"""
import argparse
import warnings

import numpy as np
import optuna


def styblinski_tang(x):
    return 0.5 * sum(v ** 4 - 16 * v ** 2 + 5 * v for v in x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore")
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        sampler = optuna.samplers.TPESampler(seed=seed)
        sampler._rng = np.random.RandomState(seed + 1_000_003)
        study = optuna.create_study(sampler=sampler)
        study.optimize(lambda t: styblinski_tang([t.suggest_float(f"x{i + 1}", -5, 5) for i in range(5)]), n_trials=args.trials)
        print(f"seed={seed} best={study.best_value!r}", flush=True)


if __name__ == "__main__":
    main()
