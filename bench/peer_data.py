# Peer for `sparta bench data`: numpy decodes Fashion-MNIST's gzipped IDX training files and
# standardizes the images (statistics over all values, like peer_torch.py), timed in-process.
# Usage: /usr/bin/python3 bench/peer_data.py [repeats]   (apt-get install python3-numpy dataset-fashion-mnist)
import gzip, os, sys, time
import numpy as np

D = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist") + "/"

def idx(name):
    with gzip.open(D + name) as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
load, standardize = [], []
for _ in range(repeats):
    t0 = time.perf_counter()
    x = idx("train-images-idx3-ubyte.gz").astype(np.float32).reshape(-1, 1, 28, 28)
    y = idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    t1 = time.perf_counter()
    mu, sd = x.mean(dtype=np.float64), x.std(dtype=np.float64)
    z = (x - np.float32(mu)) / np.float32(sd)
    t2 = time.perf_counter()
    load.append((t1 - t0) * 1e3); standardize.append((t2 - t1) * 1e3)
med = lambda v: float(np.median(v))
print(f"peer numpy samples={len(x)} load_ms={med(load):.1f} standardize_ms={med(standardize):.1f} load_standardize_ms={med(load) + med(standardize):.1f}")
