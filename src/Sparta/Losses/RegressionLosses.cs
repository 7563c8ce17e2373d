using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Losses;

/// <summary>Mean squared error, mean of (p − t)².</summary>
public sealed class MeanSquaredError : Loss
{
    public override string Name => "mean_squared_error";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        SameShape(predictions, targets);
        var error = predictions - targets;
        return (error * error).Mean();
    }
}

/// <summary>Mean absolute error, mean of |p − t| (the bone-age model's loss).</summary>
public sealed class MeanAbsoluteError : Loss
{
    public override string Name => "mean_absolute_error";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        SameShape(predictions, targets);
        return (predictions - targets).Abs().Mean();
    }
}

/// <summary>Huber: ½e² for |e| ≤ δ, δ(|e| − ½δ) beyond (quadratic near zero, linear for outliers); δ default 1.</summary>
public sealed class Huber : Loss
{
    public Huber(double delta = 1) => Delta = Check.Positive(delta, "delta", "loss 'huber'");

    public double Delta { get; }
    public override string Name => "huber";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        SameShape(predictions, targets);
        var absolute = (predictions - targets).Abs();
        // With q = min(|e|, δ): ½q² + δ(|e| − q) is both branches at once, and differentiable.
        var quadratic = absolute.Clamp(0f, (float)Delta);
        return (quadratic * quadratic * 0.5f + (absolute - quadratic) * (float)Delta).Mean();
    }

    public override ComponentConfig GetConfig() => new(Name, [new("delta", Delta)]);
}

/// <summary>Negative cosine similarity of prediction and target rows (last axis), averaged: −1 when they point the same way (Keras' convention).</summary>
public sealed class CosineSimilarity : Loss
{
    private const float Epsilon = 1e-12f;

    public override string Name => "cosine_similarity";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        SameShape(predictions, targets);
        var dot = (predictions * targets).Sum(-1);
        var norms = ((predictions * predictions).Sum(-1) * (targets * targets).Sum(-1) + Epsilon).Sqrt();
        return -(dot / norms).Mean();
    }
}
