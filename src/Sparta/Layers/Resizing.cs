using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// Resizes each image to (height, width) (Keras' Resizing layer), so data smaller than an
/// architecture's minimum input (28×28 Fashion-MNIST into VGG or Inception) can feed it.
/// 'bilinear' interpolates between the two nearest pixels of each axis with half-pixel centres
/// (PyTorch's align_corners=False, TensorFlow 2's resize; no antialiasing); 'nearest' takes the
/// pixel whose cell holds the output pixel's centre. Either is a fixed linear map of each axis, so
/// the layer is two matrix products, and its gradient is theirs.
/// </summary>
public sealed class Resizing : SingleInputLayer
{
    public const string RegisteredName = "resizing";
    public static readonly string[] Interpolations = ["bilinear", "nearest"];

    private Tensor? _rows, _columns;

    public Resizing(int height, int width, string interpolation = "bilinear", string? name = null) : base(name)
    {
        Height = Check.AtLeast(height, 1, "height", "layer 'resizing'");
        Width = Check.AtLeast(width, 1, "width", "layer 'resizing'");
        Interpolation = Interpolations.Contains(interpolation) ? interpolation
            : throw new ArgumentException($"layer 'resizing': interpolation must be one of {string.Join(", ", Interpolations)}, got '{interpolation}'", nameof(interpolation));
    }

    public int Height { get; }
    public int Width { get; }
    public string Interpolation { get; }

    public override string TypeName => RegisteredName;

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"layer '{Name}': expects images (channels, height, width), got shape {inputShape}");
        return new Shape(inputShape[0], Height, Width);
    }

    protected override void BuildCore(Shape inputShape, RandomGenerator random)
    {
        _rows = inputShape[1] == Height ? null : Weights(inputShape[1], Height);
        _columns = inputShape[2] == Width ? null : Weights(inputShape[2], Width);
    }

    /// <summary>
    /// (batch, C, H, W) → (batch·C·H, W)·columns → (batch·C, W', H) by a transpose → ·rows →
    /// transposed back to (batch, C, H', W'). An axis already at its size is left alone.
    /// </summary>
    protected override Tensor Forward(Tensor x, bool training)
    {
        int batch = x.Shape[0], channels = x.Shape[1], height = x.Shape[2];
        var y = _columns is null ? x : x.Reshape(-1, x.Shape[3]).MatMul(_columns);
        if (_rows is null) return y.Reshape(batch, channels, height, Width);
        var byColumn = y.Reshape(batch * channels, height, Width).Permute(0, 2, 1);
        var resized = byColumn.Reshape(-1, height).MatMul(_rows);
        return resized.Reshape(batch * channels, Width, Height).Permute(0, 2, 1).Reshape(batch, channels, Height, Width);
    }

    /// <summary>The (input, output) matrix whose column j holds the weights of the input pixels in output pixel j.</summary>
    private Tensor Weights(int input, int output)
    {
        var weights = Tensor.Zeros(input, output);
        var span = weights.Span;
        double scale = (double)input / output;
        for (int j = 0; j < output; j++)
        {
            double centre = (j + 0.5) * scale;
            if (Interpolation == "nearest")
            {
                span[Math.Min((int)Math.Floor(centre), input - 1) * output + j] = 1f;
                continue;
            }
            double source = Math.Max(centre - 0.5, 0);
            int low = Math.Min((int)Math.Floor(source), input - 1), high = Math.Min(low + 1, input - 1);
            float fraction = (float)(source - low);
            span[low * output + j] += 1f - fraction;
            span[high * output + j] += fraction;
        }
        return weights;
    }

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() =>
        [("height", Height), ("width", Width), ("interpolation", Interpolation)];

    internal static Resizing FromConfig(ConfigReader r) =>
        new(r.Int("height", 0), r.Int("width", 0), r.Choice("interpolation", "bilinear", Interpolations));
}
