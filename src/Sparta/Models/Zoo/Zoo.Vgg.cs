using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

public static partial class Zoo
{
    /// <summary>Max pooling in a VGG configuration (0 is not a width).</summary>
    private const int Pool = 0;

    /// <summary>
    /// VGG-11 (Simonyan and Zisserman 2015, configuration A) as torchvision builds it: 3×3 'same'
    /// convolutions with ReLU and five 2×2 max pools, then dense 4096, 4096 (ReLU, dropout 0.5) and
    /// the classes. Layers carry torchvision's names ("features.0", "classifier.6"). As in Keras,
    /// the classifier reads the flattened last feature map (torchvision first average-pools it to
    /// 7×7, the same thing at 224×224); 132,863,336 trainable parameters at 224×224 and 1000 classes.
    /// </summary>
    public static Model Vgg11(int[]? inputShape = null, int classes = 1000, bool includeTop = true, Size2D? resize = null, string name = "vgg11", ulong seed = 0) =>
        Vgg("vgg11", [64, Pool, 128, Pool, 256, 256, Pool, 512, 512, Pool, 512, 512, Pool], inputShape, classes, includeTop, resize, name, seed);

    /// <summary>VGG-16 (configuration D): <see cref="Vgg11"/> with 13 convolutions; 138,357,544 trainable parameters at 224×224 and 1000 classes.</summary>
    public static Model Vgg16(int[]? inputShape = null, int classes = 1000, bool includeTop = true, Size2D? resize = null, string name = "vgg16", ulong seed = 0) =>
        Vgg("vgg16", [64, 64, Pool, 128, 128, Pool, 256, 256, 256, Pool, 512, 512, 512, Pool, 512, 512, 512, Pool], inputShape, classes, includeTop, resize, name, seed);

    private static Model Vgg(string architecture, int[] configuration, int[]? inputShape, int classes, bool includeTop, Size2D? resize, string name, ulong seed)
    {
        Classes(classes, architecture);
        var (input, x) = ImageInput(inputShape, resize, [3, 224, 224], architecture, 32);
        int index = 0; // torchvision's index in its features list: a convolution and its ReLU take two places
        foreach (int filters in configuration)
        {
            x = filters == Pool ? new MaxPool2D(2, name: $"features.{index}").Call(x)
                : new Conv2D(filters, 3, "relu", padding: "same", name: $"features.{index++}").Call(x);
            index++;
        }
        return Finish(input, x, features =>
        {
            var y = new Flatten(name: "flatten").Call(features);
            y = new Dense(4096, "relu", name: "classifier.0").Call(y);
            y = new Dropout(0.5, name: "classifier.2").Call(y);
            y = new Dense(4096, "relu", name: "classifier.3").Call(y);
            y = new Dropout(0.5, name: "classifier.5").Call(y);
            return new Dense(classes, name: "classifier.6").Call(y);
        }, includeTop, name, seed);
    }
}
