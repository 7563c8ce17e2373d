using Sparta.Activations;
using Sparta.Layers;
using Sparta.Tensors;
using static Sparta.Models.ZooBlocks;

namespace Sparta.Models;

public static partial class Zoo
{
    /// <summary>
    /// Inception v4 (Szegedy et al. 2016, figure 9) as TF-slim and its PyTorch port build it: the stem,
    /// 4 Inception-A, Reduction-A, 7 Inception-B, Reduction-B and 3 Inception-C blocks, each
    /// convolution followed by batch normalization (ε 0.001) and ReLU; then global average pooling,
    /// dropout (keep 0.8) and one dense layer. 42,679,816 trainable parameters at 1000 classes; images
    /// of at least 75×75 (299×299 in the paper). <paramref name="width"/> multiplies every
    /// convolution's filters (MobileNet's width multiplier; rounded, at least one), the same blocks
    /// thinner: 0.25 has about a sixteenth of the multiply-adds, for a network that trains in minutes.
    /// </summary>
    public static Model InceptionV4(int[]? inputShape = null, int classes = 1000, bool includeTop = true, Size2D? resize = null,
        string name = "inception_v4", ulong seed = 0, double width = 1)
    {
        Classes(classes, "inception_v4");
        if (!(width > 0 && width <= 4)) throw new ArgumentOutOfRangeException(nameof(width), $"zoo 'inception_v4': width must be in (0, 4], got {width}");
        var (input, x) = ImageInput(inputShape, resize, [3, 299, 299], "inception_v4", 75);
        return Finish(input, InceptionV4Features(x, width), features =>
        {
            var pooled = new GlobalAveragePooling2D(name: "global_pool").Call(features);
            return new Dense(classes, name: "last_linear").Call(new Dropout(0.2, name: "dropout").Call(pooled));
        }, includeTop, name, seed);
    }

    /// <summary>The network from its image to the last Inception-C block's feature maps (1536 at width 1).</summary>
    internal static SymbolicTensor InceptionV4Features(SymbolicTensor x, double width = 1) => new InceptionV4Blocks(width).Features(x);

    /// <summary>The blocks of Inception v4, every convolution's filters times the width.</summary>
    private sealed class InceptionV4Blocks(double width)
    {
        public SymbolicTensor Features(SymbolicTensor x)
        {
            x = Stem(x);
            for (int i = 0; i < 4; i++) x = InceptionA(x, $"inception_a{i + 1}");
            x = ReductionA(x);
            for (int i = 0; i < 7; i++) x = InceptionB(x, $"inception_b{i + 1}");
            x = ReductionB(x);
            for (int i = 0; i < 3; i++) x = InceptionC(x, $"inception_c{i + 1}");
            return x;
        }

        /// <summary>TF-slim's batch-norm ε.</summary>
        private const double Epsilon = 1e-3;

        /// <summary>Convolution, batch normalization (TF-slim's ε) and ReLU; unpadded unless <paramref name="same"/>.</summary>
        private SymbolicTensor Unit(SymbolicTensor x, int filters, Size2D kernel, string name, int strides = 1, bool same = true) =>
            ConvBatchNormRelu(x, Filters(filters), kernel, name, $"{name}.bn", strides, same ? new Size2D(kernel.Height / 2, kernel.Width / 2) : 0, epsilon: Epsilon);

        private int Filters(int filters) => Math.Max(1, (int)Math.Round(filters * width));

        private static SymbolicTensor Join(string name, params SymbolicTensor[] branches) => new Concatenate(axis: 1, name: name).Call(branches);

        private static SymbolicTensor MaxPool(SymbolicTensor x, string name) => new MaxPool2D(3, 2, name: name).Call(x);

        /// <summary>
        /// The average of each 3×3 window inside the image (PyTorch's count_include_pad=False), then a 1×1 unit;
        /// computed with the 1×1 convolution (no bias) before the average, which gives the same values: both are
        /// linear, one across channels at each pixel and the other across pixels in each channel. So the average
        /// runs over the unit's few filters instead of the block's many input channels, and the tensor kept
        /// between the two for backward is that narrow one, not a copy of the block's input (at 299×299,
        /// batch 32, about 420 MiB less held through a training step).
        /// </summary>
        private SymbolicTensor PoolBranch(SymbolicTensor x, int filters, string name)
        {
            var projected = Conv(x, Filters(filters), 1, $"{name}.conv", strides: 1, padding: 0);
            var pooled = new AveragePooling2D(3, 1, "same", name: $"{name}.pool").Call(projected);
            return TorchBatchNorm($"{name}.conv.bn", Epsilon, new Relu()).Call(pooled);
        }

        private SymbolicTensor Stem(SymbolicTensor x)
        {
            x = Unit(x, 32, 3, "stem.conv1", strides: 2, same: false);
            x = Unit(x, 32, 3, "stem.conv2", same: false);
            x = Unit(x, 64, 3, "stem.conv3");
            x = Join("stem.mixed_3a", MaxPool(x, "stem.mixed_3a.pool"), Unit(x, 96, 3, "stem.mixed_3a.conv", strides: 2, same: false));
            var left = Unit(Unit(x, 64, 1, "stem.mixed_4a.b0.conv1"), 96, 3, "stem.mixed_4a.b0.conv2", same: false);
            var right = Unit(x, 64, 1, "stem.mixed_4a.b1.conv1");
            right = Unit(right, 64, (1, 7), "stem.mixed_4a.b1.conv2");
            right = Unit(right, 64, (7, 1), "stem.mixed_4a.b1.conv3");
            right = Unit(right, 96, 3, "stem.mixed_4a.b1.conv4", same: false);
            x = Join("stem.mixed_4a", left, right);
            return Join("stem.mixed_5a", Unit(x, 192, 3, "stem.mixed_5a.conv", strides: 2, same: false), MaxPool(x, "stem.mixed_5a.pool"));
        }

        private SymbolicTensor InceptionA(SymbolicTensor x, string name)
        {
            var b0 = Unit(x, 96, 1, $"{name}.b0");
            var b1 = Unit(Unit(x, 64, 1, $"{name}.b1.conv1"), 96, 3, $"{name}.b1.conv2");
            var b2 = Unit(Unit(Unit(x, 64, 1, $"{name}.b2.conv1"), 96, 3, $"{name}.b2.conv2"), 96, 3, $"{name}.b2.conv3");
            return Join(name, b0, b1, b2, PoolBranch(x, 96, $"{name}.b3"));
        }

        private SymbolicTensor ReductionA(SymbolicTensor x)
        {
            const string name = "reduction_a";
            var b0 = Unit(x, 384, 3, $"{name}.b0", strides: 2, same: false);
            var b1 = Unit(Unit(Unit(x, 192, 1, $"{name}.b1.conv1"), 224, 3, $"{name}.b1.conv2"), 256, 3, $"{name}.b1.conv3", strides: 2, same: false);
            return Join(name, b0, b1, MaxPool(x, $"{name}.b2"));
        }

        private SymbolicTensor InceptionB(SymbolicTensor x, string name)
        {
            var b0 = Unit(x, 384, 1, $"{name}.b0");
            var b1 = Unit(Unit(Unit(x, 192, 1, $"{name}.b1.conv1"), 224, (1, 7), $"{name}.b1.conv2"), 256, (7, 1), $"{name}.b1.conv3");
            var b2 = Unit(x, 192, 1, $"{name}.b2.conv1");
            b2 = Unit(b2, 192, (7, 1), $"{name}.b2.conv2");
            b2 = Unit(b2, 224, (1, 7), $"{name}.b2.conv3");
            b2 = Unit(b2, 224, (7, 1), $"{name}.b2.conv4");
            b2 = Unit(b2, 256, (1, 7), $"{name}.b2.conv5");
            return Join(name, b0, b1, b2, PoolBranch(x, 128, $"{name}.b3"));
        }

        private SymbolicTensor ReductionB(SymbolicTensor x)
        {
            const string name = "reduction_b";
            var b0 = Unit(Unit(x, 192, 1, $"{name}.b0.conv1"), 192, 3, $"{name}.b0.conv2", strides: 2, same: false);
            var b1 = Unit(x, 256, 1, $"{name}.b1.conv1");
            b1 = Unit(b1, 256, (1, 7), $"{name}.b1.conv2");
            b1 = Unit(b1, 320, (7, 1), $"{name}.b1.conv3");
            b1 = Unit(b1, 320, 3, $"{name}.b1.conv4", strides: 2, same: false);
            return Join(name, b0, b1, MaxPool(x, $"{name}.b2"));
        }

        private SymbolicTensor InceptionC(SymbolicTensor x, string name)
        {
            var b0 = Unit(x, 256, 1, $"{name}.b0");
            var b1 = Unit(x, 384, 1, $"{name}.b1.conv1");
            var b1Joined = Join($"{name}.b1", Unit(b1, 256, (1, 3), $"{name}.b1.conv2a"), Unit(b1, 256, (3, 1), $"{name}.b1.conv2b"));
            var b2 = Unit(Unit(Unit(x, 384, 1, $"{name}.b2.conv1"), 448, (3, 1), $"{name}.b2.conv2"), 512, (1, 3), $"{name}.b2.conv3");
            var b2Joined = Join($"{name}.b2", Unit(b2, 256, (1, 3), $"{name}.b2.conv4a"), Unit(b2, 256, (3, 1), $"{name}.b2.conv4b"));
            return Join(name, b0, b1Joined, b2Joined, PoolBranch(x, 256, $"{name}.b3"));
        }
    }
}
