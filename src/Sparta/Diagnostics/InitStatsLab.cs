using Sparta.Activations;
using Sparta.Initializers;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Diagnostics;

/// <summary>
/// The weight-initialization experiment of the slides (002, "Inicialización de los pesos"): data
/// ~ N(0, 1) of samples × units goes forward, with no training, through a stack of Dense layers
/// without bias, each followed by the activation; the mean and std of every layer's output show
/// whether activations vanish (std 0.01 with tanh), saturate (std 1), or keep their scale
/// (Glorot with tanh, He with ReLU). The layers are the library's own Dense layers.
/// </summary>
public static class InitStatsLab
{
    /// <summary>The statistics of the data and of each layer's output, with the data and kernels drawn (to recompute them).</summary>
    public sealed record Result(ActivationStatistics Data, IReadOnlyList<ActivationStatistics> Layers, Tensor Input, IReadOnlyList<Tensor> Kernels);

    public static Result Run(int layers, int units, int samples, string activation, Initializer initializer, ulong seed, int bins = 30)
    {
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), $"init-stats: layers must be positive, got {layers}");
        if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), $"init-stats: units must be positive, got {units}");
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"init-stats: samples must be positive, got {samples}");
        var random = new RandomGenerator(seed);
        var data = Tensor.Zeros(samples, units);
        random.Fork("data").FillNormal(data.Span, 0, 1);
        var dense = Enumerable.Range(0, layers)
            .Select(_ => (Layer)new Dense(units, ActivationRegistry.Create(activation), useBias: false, kernelInitializer: initializer))
            .ToArray();
        var model = new Sequential([units], dense, seed: seed);
        var outputs = LayerOutputs.Of(model, data);
        return new Result(ActivationStatistics.Of(data.Span, units, bins: bins), outputs.Select(o => ActivationStatistics.Of(o.Output.Span, units, o.Activation, bins)).ToArray(),
            data, dense.Select(d => ((Dense)d).Kernel.Value).ToArray());
    }

    /// <summary>
    /// The initializer named on the command line: <c>normal:STD</c> (the slides' randn·STD), a
    /// registered name with '-' or '_' (glorot-uniform, he-normal, lecun-normal, ...), or "he"
    /// for he_normal. Keras' glorot_normal has std √(2/(in+out)); the slides' Glorot-normal code
    /// uses 2/√(in+out), which is <c>normal:0.0632</c> for 500 units.
    /// </summary>
    public static Initializer ParseInitializer(string spec)
    {
        if (spec.StartsWith("normal:", StringComparison.Ordinal))
        {
            string text = spec["normal:".Length..];
            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double std) || !(std > 0))
                throw new ArgumentException($"init: expected normal:STD with a positive STD, got '{spec}'");
            return new RandomNormal(0, std);
        }
        string name = spec.Replace('-', '_');
        return InitializerRegistry.Create(name == "he" ? "he_normal" : name);
    }
}
