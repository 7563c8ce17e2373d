#!/usr/bin/env python3
"""Optuna's side of `sparta tune-bench --memory`: the same search as
examples/fashion-mnist-mlp-search.yaml (first 3,000 training images, 20% held out, one epoch of
Adam, batch 128; units, activation, L2 and learning rate searched by TPE), 200 trials in one
process, with the resident memory (VmRSS) read after each trial. Prints the same line.

    /usr/bin/python3 bench/peers/optuna_torch_memory.py --trials 200 --storage sqlite:////tmp/optuna-memory.db

Like each Sparta trial, each trial reads the data set from its files (an experiment file names
its data; nothing is kept between trials). torch runs on one thread, as `sparta` does by default here.
"""
import argparse
import gzip
import statistics
import time
import uuid

import numpy as np
import optuna
import torch

DATA = "/usr/share/datasets/fashion-mnist/"


def idx(name):
    with gzip.open(DATA + name) as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def resident_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024


def objective(trial, samples):
    units = trial.suggest_int("model.layers[1].units", 64, 512, step=64)
    activation = trial.suggest_categorical("model.layers[1].activation", ["relu", "tanh", "elu"])
    l2 = trial.suggest_float("model.layers[1].kernel_regularizer.l2", 1e-6, 1e-2, log=True)
    lr = trial.suggest_float("optimizer.learning_rate", 1e-4, 1e-1, log=True)
    x = idx("train-images-idx3-ubyte.gz")[:samples].astype(np.float32).reshape(samples, -1)
    y = idx("train-labels-idx1-ubyte.gz")[:samples].astype(np.int64)
    x = (x - x.mean()) / x.std()
    generator = torch.Generator().manual_seed(trial.number)
    order = torch.randperm(samples, generator=generator)
    held = samples // 5
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    xv, yv, xt, yt = x[order[:held]], y[order[:held]], x[order[held:]], y[order[held:]]
    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "elu": torch.nn.ELU}[activation]
    first = torch.nn.Linear(784, units)
    model = torch.nn.Sequential(first, act(), torch.nn.Linear(units, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    batches = torch.randperm(len(xt), generator=generator).split(128)
    for batch in batches:
        optimizer.zero_grad()
        loss = loss_fn(model(xt[batch]), yt[batch]) + l2 * (first.weight ** 2).sum()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return (model(xv).argmax(1) == yv).float().mean().item()


def slope(values, skip):
    xs = list(range(skip, len(values)))
    ys = values[skip:]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((a - mx) * (b - my) for a, b in zip(xs, ys)) / sum((a - mx) ** 2 for a in xs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--storage", default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", storage=args.storage, study_name=f"memory-{uuid.uuid4().hex}",
                                sampler=optuna.samplers.TPESampler(seed=0))
    rss = []
    start = time.perf_counter()
    study.optimize(lambda t: objective(t, args.samples), n_trials=args.trials, callbacks=[lambda s, t: rss.append(resident_mib())])
    seconds = (time.perf_counter() - start) / args.trials
    n = len(rss)
    every = ",".join(f"{rss[min(k * n // 10, n - 1)]:.0f}" for k in range(11))
    print(f"tool=optuna-{optuna.__version__}+torch-{torch.__version__} trials={n} rss_mib first={rss[0]:.1f} "
          f"median={statistics.median(rss):.1f} last={rss[-1]:.1f} max={max(rss):.1f} "
          f"slope_mib_per_100_trials={100 * slope(rss, max(n // 10, 1)):.2f} seconds_per_trial={seconds:.3f} rss_every_tenth={every}")


if __name__ == "__main__":
    main()
