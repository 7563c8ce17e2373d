"""Optuna 3.1's storage time per trial on the same study as StorageOverhead (TPE on branin).

    /usr/bin/python3 bench/StorageOverhead/peer_optuna.py sqlite:////tmp/optuna-bench.db 1000

Every method of the storage the study uses (Optuna wraps RDBStorage in its cache) is timed; the
line printed matches the one of StorageOverhead (without the sampler's share, which Optuna's
samplers do not expose apart from their storage reads).
"""
import math
import statistics
import sys
import time
import uuid

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
url, trials = sys.argv[1], int(sys.argv[2])
study = optuna.create_study(storage=url, study_name=f"storage-bench-{uuid.uuid4().hex}",
                            sampler=optuna.samplers.TPESampler(seed=1))
spent = [0.0]


def timed(method):
    def call(*args, **kwargs):
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start
    return call


storage = study._storage
for name in dir(type(storage)):
    if not name.startswith("__") and callable(getattr(storage, name)):
        setattr(storage, name, timed(getattr(storage, name)))

storage_ms, total_ms = [], []
for _ in range(trials):
    spent[0] = 0.0
    start = time.perf_counter()
    trial = study.ask()
    x1, x2 = trial.suggest_float("x1", -5, 10), trial.suggest_float("x2", 0, 15)
    branin = (x2 - 5.1 / (4 * math.pi ** 2) * x1 ** 2 + 5 / math.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10
    trial.report(branin, 0)
    study.tell(trial, branin)
    total_ms.append((time.perf_counter() - start) * 1000)
    storage_ms.append(spent[0] * 1000)

w = min(100, trials)
print(f"optuna sampler=tpe storage={url} trials={trials} "
      f"storage_ms first{w}={statistics.median(storage_ms[:w]):.3f} last{w}={statistics.median(storage_ms[-w:]):.3f} "
      f"trial_ms first{w}={statistics.median(total_ms[:w]):.3f} last{w}={statistics.median(total_ms[-w:]):.3f}")
