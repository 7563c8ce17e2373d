"""Does the zoo's Inception v4 learn on a Fashion-MNIST slice in PyTorch, on the example's budget?
The peer of examples/zoo-inception-v4.yaml: the first TRAIN training images (a tenth held out as
Sparta's validation split does), the first TEST test images, bilinear resize to SIDE, standardized
with the training mean and deviation, the grayscale repeated to 3 channels; Adam, batch 32, shuffled.
Prints per epoch the training loss and accuracy and the test accuracy with the running statistics
(eval mode, as a trained model predicts) and with the batch's own statistics (train mode, no update).

    /usr/bin/python3 bench/peer_zoo_learn.py EPOCHS LEARNING_RATE [TRAIN TEST SIDE THREADS]
"""
import gzip
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from peer_zoo import inception_v4

ROOT = "/usr/share/datasets/fashion-mnist/"


def read(name, offset, count, shape):
    with gzip.open(ROOT + name) as f:
        data = np.frombuffer(f.read(), np.uint8, offset=offset)
    return data[: count * int(np.prod(shape))].reshape((count, *shape))


def images(prefix, count, side):
    x = torch.tensor(read(f"{prefix}-images-idx3-ubyte.gz", 16, count, (1, 28, 28)), dtype=torch.float32) / 255
    y = torch.tensor(read(f"{prefix}-labels-idx1-ubyte.gz", 8, count, ()), dtype=torch.long)
    return F.interpolate(x, size=(side, side), mode="bilinear", align_corners=False).repeat(1, 3, 1, 1), y


def accuracy(model, x, y, train_mode):
    model.train(train_mode)
    with torch.no_grad():
        momenta = [m.momentum for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d): m.momentum = 0.0  # batch statistics used, running ones untouched
        correct = sum((model(x[i:i + 32]).argmax(1) == y[i:i + 32]).sum().item() for i in range(0, len(x), 32))
        for m, momentum in zip([m for m in model.modules() if isinstance(m, nn.BatchNorm2d)], momenta): m.momentum = momentum
    return correct / len(x)


def main():
    epochs, rate = int(sys.argv[1]), float(sys.argv[2])
    train, test, side, threads = (int(a) for a in (sys.argv[3:] + ["640", "320", "75", "1"][len(sys.argv) - 3:]))
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x, y = images("train", train, side)
    x, y = x[: train - train // 10], y[: train - train // 10]
    tx, ty = images("t10k", test, side)
    mean, std = x.mean(), x.std()
    x, tx = (x - mean) / std, (tx - mean) / std
    model = inception_v4(10)
    optimizer = torch.optim.Adam(model.parameters(), lr=rate)
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(x))
        loss_sum, correct = 0.0, 0
        for i in range(0, len(x), 32):
            batch = order[i:i + 32]
            optimizer.zero_grad()
            out = model(x[batch])
            loss = F.cross_entropy(out, y[batch])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(batch)
            correct += (out.argmax(1) == y[batch]).sum().item()
        print(f"epoch {epoch}: loss {loss_sum / len(x):.4f} accuracy {correct / len(x):.4f} "
              f"test accuracy {accuracy(model, tx, ty, False):.4f} (batch statistics {accuracy(model, tx, ty, True):.4f})", flush=True)


if __name__ == "__main__":
    main()
