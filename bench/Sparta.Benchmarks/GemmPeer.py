# The peer for `sparta bench gemm`: OpenBLAS SGEMM through numpy, timed the same way
# (best of 7 batches of calls lasting about 20 ms each, after warm-up).
# Usage: python3 GemmPeer.py M N K [nn|tn|nt|tt] [wall|cpu]   (op(A) is MxK, op(B) is KxN)
# "cpu" times process CPU time, like `sparta bench gemm --clock cpu` (one thread only).
# Thread count and kernel come from OpenBLAS's environment: OPENBLAS_NUM_THREADS, OPENBLAS_CORETYPE.
import sys, time
import numpy as np

m, n, k = map(int, sys.argv[1:4])
variant = sys.argv[4] if len(sys.argv) > 4 else "nn"
now = time.process_time if len(sys.argv) > 5 and sys.argv[5] == "cpu" else time.perf_counter
rng = np.random.default_rng(0)
a = rng.random((k, m) if variant[0] == "t" else (m, k), dtype=np.float32)
b = rng.random((n, k) if variant[1] == "t" else (k, n), dtype=np.float32)
op_a = a.T if variant[0] == "t" else a
op_b = b.T if variant[1] == "t" else b
c = np.empty((m, n), dtype=np.float32)

np.matmul(op_a, op_b, out=c)
calls, start = 0, now()
while now() - start < 0.02:
    np.matmul(op_a, op_b, out=c)
    calls += 1
best = float("inf")
for _ in range(7):
    start = now()
    for _ in range(calls):
        np.matmul(op_a, op_b, out=c)
    best = min(best, (now() - start) / calls)
shape = f"{m}" if m == n == k else f"{m}x{n}x{k}"
clock = " clock=cpu" if now is time.process_time else ""
print(f"peer=openblas gemm size={shape} gflops={2 * m * n * k / best / 1e9:.1f} variant={variant}{clock}")
