# The convolutional part of the Fashion-MNIST CNN in PyTorch, timed like `sparta bench conv`:
# conv 32 3x3 same + ReLU, max pool 2, conv 64 3x3 same + ReLU, max pool 2, forward and backward
# (no input gradient for the first layer), batch 128, one thread by default.
# Usage: /usr/bin/python3 ConvTorchPeer.py [threads] [repeats]
import sys, time, statistics, torch, torch.nn as nn
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
torch.set_num_threads(threads); torch.manual_seed(0)
batch = 128
model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
x = torch.randn(batch, 1, 28, 28)
upstream = torch.randn(batch, 64, 7, 7) * 0.01
def step():
    model.zero_grad(set_to_none=False)
    model(x).backward(upstream)
step()
times = []
cpu_start = time.process_time()
for _ in range(repeats):
    start = time.perf_counter(); step(); times.append((time.perf_counter() - start) * 1000)
cpu_ms = (time.process_time() - cpu_start) * 1000 / repeats
ms = statistics.median(times)
print(f"torch conv batch={batch} threads={threads} ms_per_batch={ms:.2f} samples_per_s={batch / ms * 1000:.0f} cpu_ms_per_batch={cpu_ms:.2f}")
