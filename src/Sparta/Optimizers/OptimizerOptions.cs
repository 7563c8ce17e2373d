using Sparta.Configuration;

namespace Sparta.Optimizers;

/// <summary>
/// The settings the <see cref="Optimizer"/> base class applies around every update step (Keras'
/// clipvalue, clipnorm, global_clipnorm and weight_decay). At most one clipping is allowed, as in
/// Keras. Weight decay is decoupled (Loshchilov and Hutter): x -= lr·wd·x before the update,
/// apart from the gradient, unlike an L2 penalty added to the loss.
/// </summary>
public sealed record OptimizerOptions
{
    /// <summary>Clamp every gradient element to [-ClipValue, ClipValue].</summary>
    public double? ClipValue { get; init; }

    /// <summary>Rescale each parameter's gradient so its L2 norm is at most ClipNorm.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Rescale all gradients together so their joint L2 norm is at most GlobalClipNorm.</summary>
    public double? GlobalClipNorm { get; init; }

    public double WeightDecay { get; init; }

    internal void Validate(string owner)
    {
        int clippings = (ClipValue.HasValue ? 1 : 0) + (ClipNorm.HasValue ? 1 : 0) + (GlobalClipNorm.HasValue ? 1 : 0);
        if (clippings > 1)
            throw new ArgumentException($"{owner}: set at most one of clip_value, clip_norm, global_clip_norm, got {clippings}");
        if (ClipValue is double v) Check.Positive(v, "clip_value", owner);
        if (ClipNorm is double n) Check.Positive(n, "clip_norm", owner);
        if (GlobalClipNorm is double g) Check.Positive(g, "global_clip_norm", owner);
        Check.NonNegative(WeightDecay, "weight_decay", owner);
    }

    internal static OptimizerOptions Read(ConfigReader reader, double defaultWeightDecay = 0) => new()
    {
        ClipValue = reader.OptionalDouble("clip_value"),
        ClipNorm = reader.OptionalDouble("clip_norm"),
        GlobalClipNorm = reader.OptionalDouble("global_clip_norm"),
        WeightDecay = reader.Double("weight_decay", defaultWeightDecay),
    };

    internal void Write(IDictionary<string, object> parameters)
    {
        if (ClipValue is double v) parameters["clip_value"] = v;
        if (ClipNorm is double n) parameters["clip_norm"] = n;
        if (GlobalClipNorm is double g) parameters["global_clip_norm"] = g;
        parameters["weight_decay"] = WeightDecay;
    }
}
