"""PyTorch side of the zoo benchmark: one training step of ResNet-18 (torchvision) or Inception v4
(the TF-slim architecture, written here as its PyTorch port builds it: torchvision has none),
SGD on cross-entropy, timed over steps after a warm-up (wall and process CPU seconds), with the peak resident memory;
the line sparta bench zoo prints.

    /usr/bin/python3 bench/peer_zoo.py resnet18|inception_v4 BATCH SIDE THREADS STEPS
    /usr/bin/python3 bench/peer_zoo.py count inception_v4     (parameter count only)
"""
import resource
import sys
import time

import torch
import torch.nn as nn
import torchvision


class Unit(nn.Sequential):
    """Convolution without bias, batch normalization (TF-slim's epsilon) and ReLU."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__(nn.Conv2d(cin, cout, kernel, stride, padding, bias=False), nn.BatchNorm2d(cout, eps=0.001), nn.ReLU())


class Branches(nn.Module):
    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], 1)


def pool_branch(cin, cout):
    return nn.Sequential(nn.AvgPool2d(3, 1, 1, count_include_pad=False), Unit(cin, cout, 1))


def inception_a():
    return Branches(Unit(384, 96, 1), nn.Sequential(Unit(384, 64, 1), Unit(64, 96, 3, padding=1)),
                    nn.Sequential(Unit(384, 64, 1), Unit(64, 96, 3, padding=1), Unit(96, 96, 3, padding=1)), pool_branch(384, 96))


def inception_b():
    return Branches(Unit(1024, 384, 1),
                    nn.Sequential(Unit(1024, 192, 1), Unit(192, 224, (1, 7), padding=(0, 3)), Unit(224, 256, (7, 1), padding=(3, 0))),
                    nn.Sequential(Unit(1024, 192, 1), Unit(192, 192, (7, 1), padding=(3, 0)), Unit(192, 224, (1, 7), padding=(0, 3)),
                                  Unit(224, 224, (7, 1), padding=(3, 0)), Unit(224, 256, (1, 7), padding=(0, 3))),
                    pool_branch(1024, 128))


class InceptionC(nn.Module):
    def __init__(self):
        super().__init__()
        self.b0 = Unit(1536, 256, 1)
        self.b1 = Unit(1536, 384, 1)
        self.b1a, self.b1b = Unit(384, 256, (1, 3), padding=(0, 1)), Unit(384, 256, (3, 1), padding=(1, 0))
        self.b2 = nn.Sequential(Unit(1536, 384, 1), Unit(384, 448, (3, 1), padding=(1, 0)), Unit(448, 512, (1, 3), padding=(0, 1)))
        self.b2a, self.b2b = Unit(512, 256, (1, 3), padding=(0, 1)), Unit(512, 256, (3, 1), padding=(1, 0))
        self.b3 = pool_branch(1536, 256)

    def forward(self, x):
        b1, b2 = self.b1(x), self.b2(x)
        return torch.cat([self.b0(x), self.b1a(b1), self.b1b(b1), self.b2a(b2), self.b2b(b2), self.b3(x)], 1)


def inception_v4(classes=1000):
    return nn.Sequential(
        Unit(3, 32, 3, 2), Unit(32, 32, 3), Unit(32, 64, 3, padding=1),
        Branches(nn.MaxPool2d(3, 2), Unit(64, 96, 3, 2)),
        Branches(nn.Sequential(Unit(160, 64, 1), Unit(64, 96, 3)),
                 nn.Sequential(Unit(160, 64, 1), Unit(64, 64, (1, 7), padding=(0, 3)), Unit(64, 64, (7, 1), padding=(3, 0)), Unit(64, 96, 3))),
        Branches(Unit(192, 192, 3, 2), nn.MaxPool2d(3, 2)),
        *[inception_a() for _ in range(4)],
        Branches(Unit(384, 384, 3, 2), nn.Sequential(Unit(384, 192, 1), Unit(192, 224, 3, padding=1), Unit(224, 256, 3, 2)), nn.MaxPool2d(3, 2)),
        *[inception_b() for _ in range(7)],
        Branches(nn.Sequential(Unit(1024, 192, 1), Unit(192, 192, 3, 2)),
                 nn.Sequential(Unit(1024, 256, 1), Unit(256, 256, (1, 7), padding=(0, 3)), Unit(256, 320, (7, 1), padding=(3, 0)), Unit(320, 320, 3, 2)),
                 nn.MaxPool2d(3, 2)),
        *[InceptionC() for _ in range(3)],
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(1536, classes))


def build(name, classes):
    return inception_v4(classes) if name == "inception_v4" else getattr(torchvision.models, name)(num_classes=classes)


def main():
    if sys.argv[1] == "count":
        print(sum(p.numel() for p in build(sys.argv[2], 1000).parameters()))
        return
    name, batch, side, threads, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = build(name, 10).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = torch.randn(batch, 3, side, side), torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()

    step()  # warm-up
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    seconds, cpu = (time.perf_counter() - start) / steps, (time.process_time() - cpu_start) / steps
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name} batch {batch} {side}x{side} threads {threads}: {seconds:.3f} s/step, {cpu:.3f} cpu s/step, {batch / seconds:.1f} samples/s, peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
