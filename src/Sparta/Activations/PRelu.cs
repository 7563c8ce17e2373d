using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Activations;

/// <summary>
/// Parametric ReLU (He et al. 2015): max(0, x) + a·min(0, x), with one slope a per channel
/// (feature) learned by backpropagation, starting at 0.25 as in the paper and PyTorch.
/// </summary>
public sealed class PRelu : Activation
{
    public const double DefaultInitialAlpha = 0.25;

    private Parameter? _alpha;
    private Shape? _broadcastShape;

    public PRelu(double initialAlpha = DefaultInitialAlpha)
    {
        if (!double.IsFinite(initialAlpha)) throw new ArgumentOutOfRangeException(nameof(initialAlpha), $"activation 'prelu': initial_alpha must be finite, got {initialAlpha}");
        InitialAlpha = initialAlpha;
    }

    public double InitialAlpha { get; }
    public override string Name => "prelu";

    /// <summary>The learned slopes, one per channel, once built.</summary>
    public Parameter? Alpha => _alpha;

    public override void Build(Shape inputShape, Func<string, Shape, Initializer, Parameter> addParameter)
    {
        if (inputShape.Rank == 0) throw new ArgumentException("activation 'prelu': input has no channel axis");
        int channels = inputShape[0];
        _alpha = addParameter("alpha", new Shape(channels), new ConstantInitializer(InitialAlpha));
        // One slope per channel, broadcast over the spatial axes of an image.
        var dims = new int[inputShape.Rank];
        Array.Fill(dims, 1);
        dims[0] = channels;
        _broadcastShape = new Shape(dims);
    }

    public override Tensor Apply(Tensor x)
    {
        if (_alpha is null) throw new InvalidOperationException("activation 'prelu': not built (its host layer builds it)");
        var alpha = Autograd.Ops.Reshape(_alpha.Value, _broadcastShape!);
        var positive = Autograd.Ops.Relu(x);
        return positive + alpha * (x - positive);
    }

    public override ComponentConfig GetConfig() => new(Name, [new("initial_alpha", InitialAlpha)]);
}
