using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

public static partial class Zoo
{
    /// <summary>
    /// LeNet-5 (LeCun et al. 1998): two 5×5 'valid' tanh convolutions (6 and 16 filters) each followed
    /// by 2×2 average pooling, then dense 120 and 84 (tanh) and the classes; 61,706 parameters on
    /// 32×32 images and 10 classes (28×28 images work too: the first dense layer reads 16×4×4).
    /// </summary>
    public static Model LeNet5(int[]? inputShape = null, int classes = 10, bool includeTop = true, Size2D? resize = null, string name = "lenet5", ulong seed = 0)
    {
        Classes(classes, "lenet5");
        var (input, x) = ImageInput(inputShape, resize, [1, 32, 32], "lenet5", 16);
        x = new Conv2D(6, 5, "tanh", name: "conv1").Call(x);
        x = new AveragePooling2D(2, name: "pool1").Call(x);
        x = new Conv2D(16, 5, "tanh", name: "conv2").Call(x);
        x = new AveragePooling2D(2, name: "pool2").Call(x);
        return Finish(input, x, features =>
        {
            var y = new Flatten(name: "flatten").Call(features);
            y = new Dense(120, "tanh", name: "fc1").Call(y);
            y = new Dense(84, "tanh", name: "fc2").Call(y);
            return new Dense(classes, name: "fc3").Call(y);
        }, includeTop, name, seed);
    }

    /// <summary>
    /// The slides' LeNet variant (seed 001, "Variação da LeNet"): five 3×3 'same' ReLU convolutions
    /// (16, 32, 32, 64, 64 filters) with 2×2 max pooling after the first four and dropout 0.5 after
    /// the second pool and the last convolution, global average pooling (named 'ft_x_layer', as in
    /// the slides), then dense 64 (ReLU) and <paramref name="outputs"/> linear units: a regression
    /// of one value by default (bone age in months). With <paramref name="secondInput"/> the pooled
    /// features are joined with that input of one value (the patient's sex) and read by dense 32
    /// (ReLU) and the outputs instead, as the slides' ft_x_cnn_model. <paramref name="includeTop"/>
    /// false stops at 'ft_x_layer'.
    /// </summary>
    public static Model LeNetVariant(int[]? inputShape = null, int outputs = 1, bool includeTop = true, string? secondInput = null,
        Size2D? resize = null, string name = "lenet_variant", ulong seed = 0)
    {
        Classes(outputs, "lenet_variant");
        var (input, x) = ImageInput(inputShape, resize, [1, 550, 550], "lenet_variant", 16);
        var features = LeNetVariantFeatures(x);
        if (secondInput is null)
            return Finish(input, features, f => new Dense(outputs, name: "output").Call(new Dense(64, "relu", name: "dense").Call(f)), includeTop, name, seed);
        if (!includeTop) throw new ArgumentException($"zoo 'lenet_variant': second_input '{secondInput}' joins the classifier; it needs include_top true");
        return WithSecondInput(input, features, secondInput, outputs, name, seed);
    }

    /// <summary>The slides' LeNet variant from its image to the pooled features 'ft_x_layer'.</summary>
    private static SymbolicTensor LeNetVariantFeatures(SymbolicTensor x)
    {
        int[] filters = [16, 32, 32, 64, 64];
        for (int i = 0; i < filters.Length; i++)
        {
            x = new Conv2D(filters[i], 3, "relu", padding: "same", name: $"conv{i + 1}").Call(x);
            if (i < 4) x = new MaxPool2D(name: $"pool{i + 1}").Call(x);
            if (i is 1 or 4) x = new Dropout(0.5, name: $"dropout{(i == 1 ? 1 : 2)}").Call(x);
        }
        return new GlobalAveragePooling2D(name: "ft_x_layer").Call(x);
    }

    /// <summary>The slides' multi-input head: the image's pooled features joined with a second input of one value, dense 32 (ReLU), the outputs.</summary>
    private static Model WithSecondInput(SymbolicTensor image, SymbolicTensor features, string secondInput, int outputs, string name, ulong seed)
    {
        if (secondInput == ImageInputName) throw new ArgumentException($"zoo: second_input must not be named '{ImageInputName}' (the image's input)");
        var second = Model.Input([1], secondInput);
        var joined = new Concatenate(name: "joined").Call(features, second);
        var hidden = new Dense(32, "relu", name: "joined_dense").Call(joined);
        return new Model([image, second], new Dense(outputs, name: "output").Call(hidden), name, seed);
    }
}
