# Peer for `sparta bench optimizer`: one torch.optim step over the Fashion-MNIST MLP's parameter
# shapes (784-256-128-10), median of repeats after warm-up, one thread, in processor time.
# Usage: /usr/bin/python3 bench/peer_optimizer.py [adam|adamw|sgd|momentum|rmsprop|adagrad] [steps] [repeats] [foreach]
# (foreach: PyTorch's multi-tensor implementation; its default on the CPU is the per-tensor loop)
import sys, time, torch

name = sys.argv[1] if len(sys.argv) > 1 else "adam"
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 7
foreach = len(sys.argv) > 4 and sys.argv[4] == "foreach"
torch.set_num_threads(1)
torch.manual_seed(0)
shapes = [(784, 256), (256,), (256, 128), (128,), (128, 10), (10,)]
params = []
for s in shapes:
    p = torch.nn.Parameter(torch.randn(s) * 0.05)
    p.grad = torch.randn(s) * 0.01
    params.append(p)
make = {
    "adam": lambda: torch.optim.Adam(params, lr=1e-3, foreach=foreach),
    "adamw": lambda: torch.optim.AdamW(params, lr=1e-3, weight_decay=0.004, foreach=foreach),
    "sgd": lambda: torch.optim.SGD(params, lr=0.01, foreach=foreach),
    "momentum": lambda: torch.optim.SGD(params, lr=0.01, momentum=0.9, foreach=foreach),
    "rmsprop": lambda: torch.optim.RMSprop(params, lr=1e-3, alpha=0.9, foreach=foreach),
    "adagrad": lambda: torch.optim.Adagrad(params, lr=1e-3, initial_accumulator_value=0.1, foreach=foreach),
}
opt = make[name]()
size = sum(p.numel() for p in params)
with torch.no_grad():
    for _ in range(min(steps, 200)):
        opt.step()
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        for _ in range(steps):
            opt.step()
        times.append((time.process_time() - t0) / steps)
times.sort()
median = times[repeats // 2]
print(f"optimizer name={name} params={size} cpu_us_per_step={median * 1e6:.1f} gvalues_per_s={size / median / 1e9:.2f} foreach={foreach} torch={torch.__version__}")
