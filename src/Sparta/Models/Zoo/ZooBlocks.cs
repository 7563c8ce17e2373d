using Sparta.Activations;
using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// The blocks the zoo's architectures are written with, from the layers a user has: a C# block
/// is a function from a symbolic tensor to a symbolic tensor, as a block of the experiment file
/// is a list of layers with parameters.
/// </summary>
internal static class ZooBlocks
{
    /// <summary>PyTorch's BatchNorm2d (momentum 0.1 of the new batch, Keras' 0.9 of the old value) with its ε.</summary>
    public static BatchNormalization TorchBatchNorm(string name, double epsilon = 1e-5, Activation? activation = null) =>
        new(momentum: 0.9, epsilon: epsilon, activation: activation, name: name);

    /// <summary>
    /// Convolution without bias, batch normalization, ReLU. <paramref name="padding"/> is PyTorch's:
    /// a 'same' convolution when it keeps the size at stride 1, else zeros around the image and a 'valid' one.
    /// </summary>
    public static SymbolicTensor ConvBatchNormRelu(SymbolicTensor x, int filters, Size2D kernel, string name, string batchNormName,
        Size2D? strides = null, Size2D? padding = null, double epsilon = 1e-5)
    {
        x = Conv(x, filters, kernel, name, strides ?? 1, padding ?? 0);
        // The ReLU runs inside the batch norm's op, as PyTorch's in-place ReLU: one stored tensor fewer a unit.
        return TorchBatchNorm(batchNormName, epsilon, new Relu()).Call(x);
    }

    /// <summary>A convolution without bias with PyTorch's symmetric zero padding.</summary>
    public static SymbolicTensor Conv(SymbolicTensor x, int filters, Size2D kernel, string name, Size2D strides, Size2D padding)
    {
        bool keepsSize = strides == 1 && padding.Height * 2 == kernel.Height - 1 && padding.Width * 2 == kernel.Width - 1;
        if (!keepsSize && padding != 0) x = new ZeroPadding2D(padding).Call(x);
        return new Conv2D(filters, kernel, strides, keepsSize ? "same" : "valid", useBias: false, name: name).Call(x);
    }
}
