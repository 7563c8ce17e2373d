using Sparta.Layers;
using Sparta.Tensors;
using static Sparta.Models.ZooBlocks;

namespace Sparta.Models;

public static partial class Zoo
{
    /// <summary>
    /// ResNet-18 (He et al. 2016) as torchvision builds it: a 7×7/2 convolution and a 3×3/2 max
    /// pool, four stages of two basic blocks (64, 128, 256, 512 filters; stages 2-4 start at stride 2
    /// with a 1×1 projection shortcut), global average pooling and one dense layer. Layers carry
    /// torchvision's names ("layer2.0.conv1", "fc"); 11,689,512 trainable parameters at 1000 classes.
    /// </summary>
    public static Model ResNet18(int[]? inputShape = null, int classes = 1000, bool includeTop = true, Size2D? resize = null, string name = "resnet18", ulong seed = 0) =>
        ResNet("resnet18", [2, 2, 2, 2], inputShape, classes, includeTop, resize, name, seed);

    /// <summary>ResNet-34: <see cref="ResNet18"/> with 3, 4, 6 and 3 basic blocks per stage; 21,797,672 trainable parameters at 1000 classes.</summary>
    public static Model ResNet34(int[]? inputShape = null, int classes = 1000, bool includeTop = true, Size2D? resize = null, string name = "resnet34", ulong seed = 0) =>
        ResNet("resnet34", [3, 4, 6, 3], inputShape, classes, includeTop, resize, name, seed);

    private static Model ResNet(string architecture, int[] blocks, int[]? inputShape, int classes, bool includeTop, Size2D? resize, string name, ulong seed)
    {
        Classes(classes, architecture);
        var (input, x) = ImageInput(inputShape, resize, [3, 224, 224], architecture, 1);
        x = ConvBatchNormRelu(x, 64, 7, "conv1", "bn1", strides: 2, padding: 3);
        // Zeros around a ReLU's output pool like PyTorch's −∞ padding: no window holds only padding.
        x = new ZeroPadding2D(1).Call(x);
        x = new MaxPool2D(3, 2).Call(x);
        for (int stage = 0; stage < blocks.Length; stage++)
            for (int block = 0; block < blocks[stage]; block++)
                x = BasicBlock(x, 64 << stage, stage > 0 && block == 0 ? 2 : 1, $"layer{stage + 1}.{block}");
        return Finish(input, x, features =>
        {
            var pooled = new GlobalAveragePooling2D(name: "avgpool").Call(features);
            return new Dense(classes, name: "fc").Call(pooled);
        }, includeTop, name, seed);
    }

    /// <summary>Two 3×3 convolutions with batch normalization, added to the input (projected by a 1×1 convolution when the shape changes), then ReLU.</summary>
    private static SymbolicTensor BasicBlock(SymbolicTensor x, int filters, int strides, string name)
    {
        var y = ConvBatchNormRelu(x, filters, 3, $"{name}.conv1", $"{name}.bn1", strides: strides, padding: 1);
        y = Conv(y, filters, 3, $"{name}.conv2", 1, 1);
        y = TorchBatchNorm($"{name}.bn2").Call(y);
        var shortcut = x;
        if (strides != 1 || x.Shape[0] != filters)
        {
            shortcut = Conv(x, filters, 1, $"{name}.downsample.0", strides, 0);
            shortcut = TorchBatchNorm($"{name}.downsample.1").Call(shortcut);
        }
        var sum = new Add(name: $"{name}.add").Call(y, shortcut);
        return new ActivationLayer("relu", name: $"{name}.relu").Call(sum);
    }
}
