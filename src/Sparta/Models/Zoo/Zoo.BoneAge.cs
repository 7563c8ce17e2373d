using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

public static partial class Zoo
{
    /// <summary>The backbones <see cref="BoneAge"/> takes.</summary>
    public static readonly string[] BoneAgeBackbones = ["lenet_variant", "inception_v4"];

    /// <summary>
    /// The slides' bone-age network (seed 001, RSNA 2017): an X-ray and the patient's sex in, the
    /// bone age out (a regression trained on MAE). The image's pooled features are joined with the
    /// second input, then dense 32 (ReLU) and <paramref name="outputs"/> linear units. The backbone
    /// is the slides' LeNet variant, or Inception v4 after a 3×3 'same' ReLU convolution to 3
    /// channels and a 2×2 max pool, as the slides' icptv4_model (images of at least 150×150 then).
    /// </summary>
    public static Model BoneAge(string backbone = "lenet_variant", int[]? inputShape = null, int outputs = 1, string secondInput = "sex",
        Size2D? resize = null, string name = "bone_age", ulong seed = 0)
    {
        Classes(outputs, "bone_age");
        if (backbone == "lenet_variant")
        {
            var (input, x) = ImageInput(inputShape, resize, [1, 550, 550], "bone_age", 16);
            return WithSecondInput(input, LeNetVariantFeatures(x), secondInput, outputs, name, seed);
        }
        if (backbone != "inception_v4")
            throw new ArgumentException($"zoo 'bone_age': backbone must be one of {string.Join(", ", BoneAgeBackbones)}, got '{backbone}'");
        var (image, y) = ImageInput(inputShape, resize, [1, 598, 598], "bone_age", 150);
        y = new Conv2D(3, 3, "relu", padding: "same", name: "to_rgb").Call(y);
        y = new MaxPool2D(name: "to_rgb_pool").Call(y);
        var pooled = new GlobalAveragePooling2D(name: "global_pool").Call(InceptionV4Features(y));
        return WithSecondInput(image, pooled, secondInput, outputs, name, seed);
    }
}
