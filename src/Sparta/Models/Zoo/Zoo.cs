using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// Well-known architectures built from the registered layers (no special ones), as Keras'
/// applications and torchvision's models are: LeNet-5, the slides' LeNet variant and bone-age
/// network (seed 001), Inception v4, ResNet-18/34 and VGG-11/16, with random weights drawn from
/// <c>seed</c>. Each takes the input shape (channels first, no batch axis), the number of classes
/// and <c>includeTop</c> (false: the network up to its classifier, for transfer learning), like
/// <c>keras.applications</c>. The experiment file names them <c>model: {zoo: resnet18, classes: 10}</c>.
/// <code>
/// var model = Zoo.ResNet18(inputShape: [1, 64, 64], classes: 10, seed: 7);
/// </code>
/// </summary>
public static partial class Zoo
{
    /// <summary>The model itself, or with <paramref name="includeTop"/> false the features its classifier would read.</summary>
    private static Model Finish(SymbolicTensor input, SymbolicTensor features, Func<SymbolicTensor, SymbolicTensor> top, bool includeTop, string name, ulong seed) =>
        new(input, includeTop ? top(features) : features, name, seed);

    /// <summary>
    /// The image input and the image the architecture reads: the input itself, or resized to
    /// <paramref name="resize"/> by a 'resizing' layer. An image smaller than the architecture's
    /// pooling allows fails here, naming both.
    /// </summary>
    private static (SymbolicTensor Input, SymbolicTensor Image) ImageInput(int[]? inputShape, Size2D? resize, int[] fallback, string architecture, int minimumSide)
    {
        int[] shape = inputShape ?? fallback;
        if (shape.Length != 3 || shape.Any(d => d < 1))
            throw new ArgumentException($"zoo '{architecture}': input_shape must be [channels, height, width], got [{string.Join(", ", shape)}]");
        var side = resize?.CheckPositive("resize", $"zoo '{architecture}'") ?? new Size2D(shape[1], shape[2]);
        if (side.Height < minimumSide || side.Width < minimumSide)
            throw new ArgumentException($"zoo '{architecture}': images must be at least {minimumSide}×{minimumSide}, got {side.Height}×{side.Width}; resize them (resize: [{minimumSide}, {minimumSide}])");
        var input = Model.Input(shape, ImageInputName);
        return (input, resize is { } r && r != new Size2D(shape[1], shape[2]) ? new Resizing(r.Height, r.Width, name: "resizing").Call(input) : input);
    }

    /// <summary>The name of every zoo model's image input (the name a registered dataset gives its images).</summary>
    public const string ImageInputName = Data.DatasetRegistry.InputName;

    private static int Classes(int classes, string architecture) =>
        classes >= 1 ? classes : throw new ArgumentOutOfRangeException(nameof(classes), $"zoo '{architecture}': classes must be at least 1, got {classes}");
}
