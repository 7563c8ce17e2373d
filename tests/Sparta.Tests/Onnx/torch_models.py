"""Exports PyTorch models to ONNX with torch.onnx.export (PyTorch's own exporter) and saves each
model's inputs and PyTorch's outputs as .npy files beside it, for the import tests to compare.

usage: torch_models.py OUT_DIR [NAME...]   (the models named, or every one)
"""
import sys

import numpy as np
import torch
import torchvision
from torch import nn

torch.manual_seed(0)


class TwoInputs(nn.Module):
    """An image branch and a vector branch joined: the kind of model Sparta's functional API builds."""

    def __init__(self):
        super().__init__()
        self.image = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.vector = nn.Sequential(nn.Linear(3, 4), nn.Tanh())
        self.head = nn.Linear(8, 2)

    def forward(self, image, vector):
        return self.head(torch.cat([self.image(image), self.vector(vector)], dim=1))


class BatchViews(nn.Module):
    """Flattens as PyTorch code often does, x.view(x.size(0), -1): the exporter builds the shape from the input's Shape."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3)
        self.viewed = nn.Linear(3 * 6 * 6, 4)
        self.flattened = nn.Linear(3 * 6 * 6, 4)

    def forward(self, x):
        y = torch.relu(self.conv(x))
        return self.viewed(y.view(y.size(0), -1)) + self.flattened(torch.flatten(y, 1))


class TwoOutputs(nn.Module):
    """A shared trunk with two heads returned as a tuple: a class's logits and a box's four numbers."""

    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 16), nn.Tanh())
        self.classes = nn.Linear(16, 3)
        self.box = nn.Linear(16, 4)

    def forward(self, x):
        features = self.trunk(x)
        return self.classes(features), torch.sigmoid(self.box(features))


class MatMulAdd(nn.Module):
    """x @ W + b written out, as Keras' Dense exports: MatMul then Add in the file."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(6, 5))
        self.bias = nn.Parameter(torch.randn(5))
        self.out = nn.Parameter(torch.randn(5, 3))

    def forward(self, x):
        return torch.relu(x @ self.weight + self.bias) @ self.out


def with_running_statistics(model):
    """Batch norms with running statistics that are not the initial 0 and 1, so inference uses them."""
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    return model.eval()


def models():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 32), nn.LeakyReLU(0.1), nn.Linear(32, 10), nn.Softmax(dim=1))
    cnn = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ELU(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(16 * 3 * 3, 32), nn.BatchNorm1d(32), nn.Sigmoid(), nn.Linear(32, 10))
    resnet = torchvision.models.resnet18(weights=None)  # random weights, nothing downloaded
    yield "mlp", mlp.eval(), [torch.randn(5, 1, 28, 28)]
    yield "cnn", with_running_statistics(cnn), [torch.randn(4, 1, 28, 28)]
    yield "two_inputs", TwoInputs().eval(), [torch.randn(3, 1, 8, 8), torch.randn(3, 3)]
    yield "resnet18", with_running_statistics(resnet), [torch.randn(2, 3, 64, 64)]
    yield "batch_views", BatchViews().eval(), [torch.randn(2, 1, 8, 8)]
    yield "two_outputs", TwoOutputs().eval(), [torch.randn(3, 1, 8, 8)]
    yield "matmul_add", MatMulAdd().eval(), [torch.randn(4, 6)]


# The names of the outputs of models that return a tuple (saved as NAME.output_OUT.npy); the others have one, "output".
OUTPUT_NAMES = {"two_outputs": ["class", "box"]}


# Batch sizes other than the exported one, each saved as NAME.bN.input0.npy and NAME.bN.output.npy.
OTHER_BATCHES = {"batch_views": [1, 5], "resnet18": [3]}


def main(out, only):
    for name, model, inputs in models():
        if only and name not in only:
            continue
        names = [f"input{i}" for i in range(len(inputs))]
        outputs = OUTPUT_NAMES.get(name, ["output"])
        axes = {n: {0: "batch"} for n in names + outputs}
        with torch.no_grad():
            output = model(*inputs)
        torch.onnx.export(model, tuple(inputs), f"{out}/{name}.onnx", input_names=names, output_names=outputs, dynamic_axes=axes)
        for i, x in enumerate(inputs):
            np.save(f"{out}/{name}.input{i}.npy", x.numpy())
        if isinstance(output, tuple):
            for n, value in zip(outputs, output):
                np.save(f"{out}/{name}.output_{n}.npy", value.numpy())
        else:
            np.save(f"{out}/{name}.output.npy", output.numpy())
        for batch in OTHER_BATCHES.get(name, []):
            others = [torch.randn(batch, *x.shape[1:]) for x in inputs]
            with torch.no_grad():
                output = model(*others)
            for i, x in enumerate(others):
                np.save(f"{out}/{name}.b{batch}.input{i}.npy", x.numpy())
            np.save(f"{out}/{name}.b{batch}.output.npy", output.numpy())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
