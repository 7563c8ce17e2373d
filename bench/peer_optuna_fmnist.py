#!/usr/bin/env python3
"""Optuna 3.1's TPE tuning the Fashion-MNIST MLP of bench/fashion-mnist-mlp-tune.yaml in PyTorch.

    /usr/bin/python3 bench/peer_optuna_fmnist.py --seeds 5 --trials 30 --storage sqlite:////tmp/optuna-fmnist.db

The same task as `sparta tune bench/fashion-mnist-mlp-tune.yaml`: the first 10,000 training images,
standardized by one mean and deviation over the training part's pixels; the validation rows are
exactly Sparta's (its stratified `validation_split: 0.2` drawn from the file's `seed: 0`, reproduced
below with Sparta's xoshiro256** generator), so both sides score trials on the same 2,000 images.
The model is the file's: 784 -> units (ReLU) -> dropout -> 128 (ReLU) -> 10, Glorot-uniform
kernels and zero biases as Keras and Sparta initialize them, Adam (epsilon 1e-7, Keras' and
Sparta's) in batches of 128, shuffled each epoch, 2 epochs; the L2 penalty l2 * sum(w^2) on the
first kernel, which is PyTorch's weight decay 2 * l2 on that kernel alone. The search space is
the file's: learning rate log-uniform in [1e-4, 1e-1], l2 log-uniform in [1e-6, 1e-2], units
in 32..512 by 32, dropout uniform in [0, 0.5]. A trial's value is the validation accuracy after
the last epoch; each seed is a study named fmnist-optuna-SEED, sampled by TPESampler(seed=SEED)
with Optuna's defaults. Prints `seed=S trial=K value=V best=B` as trials finish, then `seed=S best=B`.
"""
import argparse
import gzip
import os

import numpy as np
import optuna
import torch
import torch.nn as nn

MASK = (1 << 64) - 1


def split_mix(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return x, z ^ (z >> 31)


class SpartaRandom:
    """Sparta's RandomGenerator (xoshiro256** seeded by SplitMix64): its Fork, NextInt and Shuffle."""

    def __init__(self, seed):
        self.seed = seed
        x, self.s = seed, []
        for _ in range(4):
            x, z = split_mix(x)
            self.s.append(z)

    def fork(self, name):
        h = 14695981039346656037
        for c in name:
            h = ((h ^ ord(c)) * 1099511628211) & MASK
        x = self.seed ^ ((h * 0xD1B54A32D192ED03 + 0x8CB92BA72F3D8DD7) & MASK)
        return SpartaRandom(split_mix(x)[1])

    def next(self):
        s0, s1, s2, s3 = self.s
        rotl = lambda v, k: ((v << k) | (v >> (64 - k))) & MASK
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        self.s = [s0, s1, s2, rotl(s3, 45)]
        return result

    def next_int(self, bound):
        limit = MASK - MASK % bound
        while True:
            r = self.next()
            if r < limit:
                return r % bound

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.next_int(i + 1)
            items[i], items[j] = items[j], items[i]


def validation_rows(labels, fraction, seed):
    """Sparta's Trainer.HoldOutValidation: each class shuffled on its own, its first round(n * fraction) held out."""
    random = SpartaRandom(seed).fork("validation")
    held = []
    for label in sorted(set(labels.tolist())):
        group = [i for i in range(len(labels)) if labels[i] == label]
        random.shuffle(group)
        held += group[:int(np.floor(len(group) * fraction + 0.5))]
    return np.array(sorted(held))


def load(directory, samples):
    def idx(name):
        with gzip.open(os.path.join(directory, name)) as f:
            data = f.read()
        if data[3] == 3:
            return np.frombuffer(data, np.uint8, offset=16).reshape(-1, 784)
        return np.frombuffer(data, np.uint8, offset=8)
    return idx("train-images-idx3-ubyte.gz")[:samples].astype(np.float32), idx("train-labels-idx1-ubyte.gz")[:samples].astype(np.int64)


def glorot(linear):
    nn.init.xavier_uniform_(linear.weight)
    nn.init.zeros_(linear.bias)
    return linear


def train(params, data, epochs, seed):
    xtr, ytr, xva, yva = data
    torch.manual_seed(seed)
    first = glorot(nn.Linear(784, params["units"]))
    model = nn.Sequential(first, nn.ReLU(), nn.Dropout(params["dropout"]),
                          glorot(nn.Linear(params["units"], 128)), nn.ReLU(), glorot(nn.Linear(128, 10)))
    rest = [p for p in model.parameters() if p is not first.weight]
    optimizer = torch.optim.Adam([{"params": [first.weight], "weight_decay": 2 * params["l2"]}, {"params": rest}],
                                 lr=params["lr"], eps=1e-7)
    loss = nn.CrossEntropyLoss()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            b = order[i:i + 128]
            optimizer.zero_grad()
            loss(model(xtr[b]), ytr[b]).backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        return (model(xva).argmax(1) == yva).float().mean().item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--train-samples", type=int, default=10_000)
    parser.add_argument("--validation-split", type=float, default=0.2)
    parser.add_argument("--split-seed", type=int, default=0, help="the experiment file's seed, which draws Sparta's validation rows")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--storage", default=None)
    parser.add_argument("--print-validation-rows", action="store_true", help="print the held-out row numbers and stop")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    x, y = load(os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"), args.train_samples)
    held = validation_rows(y, args.validation_split, args.split_seed)
    if args.print_validation_rows:
        print(" ".join(map(str, held)))
        return
    kept = np.setdiff1d(np.arange(len(y)), held)
    mean, std = x[kept].mean(), x[kept].std()
    tensor = lambda a: torch.tensor(a)
    data = (tensor((x[kept] - mean) / std), tensor(y[kept]), tensor((x[held] - mean) / std), tensor(y[held]))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        study = optuna.create_study(study_name=f"fmnist-optuna-{seed}", storage=args.storage, direction="maximize",
                                    sampler=optuna.samplers.TPESampler(seed=seed))

        def objective(trial):
            params = {"lr": trial.suggest_float("lr", 1e-4, 1e-1, log=True),
                      "l2": trial.suggest_float("l2", 1e-6, 1e-2, log=True),
                      "units": trial.suggest_int("units", 32, 512, step=32),
                      "dropout": trial.suggest_float("dropout", 0.0, 0.5)}
            return train(params, data, args.epochs, seed * 1000 + trial.number)

        def report(study, trial):
            print(f"seed={seed} trial={trial.number} value={trial.value:.6f} best={study.best_value:.6f}", flush=True)

        study.optimize(objective, n_trials=args.trials, callbacks=[report])
        print(f"seed={seed} best={study.best_value:.6f}", flush=True)


if __name__ == "__main__":
    main()
