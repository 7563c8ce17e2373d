using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// A preprocessing step on samples (N, ...): <see cref="Fit"/> learns its statistics from the
/// training data only; <see cref="Transform"/> applies them to any data (training, validation,
/// test, prediction) and returns a new tensor. Steps register by name so an experiment file and a
/// saved model can name them.
/// </summary>
public abstract class Preprocessor
{
    private int[]? _sampleShape;

    public abstract string Name { get; }

    public bool IsFitted => _sampleShape is not null;

    /// <summary>The shape of one sample (no batch axis) the step was fitted on.</summary>
    public Shape SampleShape => _sampleShape is null ? throw new InvalidOperationException($"{Name}: not fitted") : new Shape(_sampleShape);

    public void Fit(Tensor train)
    {
        if (train.Rank < 2 || train.Shape[0] == 0)
            throw new ArgumentException($"{Name}: fit needs samples (N, features...), got shape {train.Shape}", nameof(train));
        FitCore(train);
        _sampleShape = train.Shape.ToArray()[1..];
    }

    public Tensor Transform(Tensor data)
    {
        CheckFittedShape(data);
        return TransformCore(data);
    }

    /// <summary>Whether <see cref="TransformInPlace"/> works: each output value depends only on its own sample and keeps its place.</summary>
    public virtual bool SupportsInPlace => false;

    /// <summary>Overwrites <paramref name="data"/> with its transform: no second copy of a large set.</summary>
    public void TransformInPlace(Tensor data)
    {
        if (!SupportsInPlace) throw new InvalidOperationException($"{Name}: cannot transform in place (it changes the shape or mixes features); use Transform");
        CheckFittedShape(data);
        TransformInPlaceCore(data);
    }

    public Tensor FitTransform(Tensor train)
    {
        Fit(train);
        return Transform(train);
    }

    public PreprocessorState Save()
    {
        if (_sampleShape is null) throw new InvalidOperationException($"{Name}: save called before fit");
        var arrays = new Dictionary<string, double[]>(SavedArrays()) { ["sample_shape"] = _sampleShape.Select(d => (double)d).ToArray() };
        return new PreprocessorState(Name, Parameters(), arrays, SavedTexts());
    }

    private static readonly Dictionary<string, Func<StepParameters, Preprocessor>> Factories = new(StringComparer.Ordinal)
    {
        ["center"] = p => new Standardize(p.Scope(StatisticsScope.Feature), unitVariance: false),
        ["standardize"] = p => new Standardize(p.Scope(StatisticsScope.Feature)),
        ["min_max"] = p => new MinMaxScale(p.Scope(StatisticsScope.Feature), p.Number("low", 0), p.Number("high", 1)),
        ["sample_normalize"] = p => new SampleNormalize(p.Number("epsilon", SampleNormalize.DefaultEpsilon)),
        ["pca"] = Pca.FromParameters,
        ["zca"] = p => new Zca(p.Number("epsilon", Zca.DefaultEpsilon)),
    };

    /// <summary>The step names an experiment file accepts.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>An unfitted step from its config.</summary>
    public static Preprocessor Create(PreprocessorConfig config)
    {
        if (!Factories.TryGetValue(config.Name, out var create))
            throw new ArgumentException($"preprocessing: unknown step '{config.Name}' (known: {string.Join(", ", Names)})");
        var p = new StepParameters(config.Name, config.Parameters);
        var step = create(p);
        p.RejectUnknown();
        return step;
    }

    /// <summary>A fitted step from its saved state.</summary>
    public static Preprocessor Load(PreprocessorState state)
    {
        var step = Create(new PreprocessorConfig(state.Name, state.Parameters));
        if (!state.Arrays.TryGetValue("sample_shape", out var shape))
            throw new ArgumentException($"preprocessing '{state.Name}': saved state has no 'sample_shape'");
        step.Restore(state.Arrays, state.Texts);
        step._sampleShape = shape.Select(d => (int)d).ToArray();
        return step;
    }

    protected abstract void FitCore(Tensor train);

    protected abstract Tensor TransformCore(Tensor data);

    protected virtual void TransformInPlaceCore(Tensor data) => throw new InvalidOperationException($"{Name}: cannot transform in place");

    private void CheckFittedShape(Tensor data)
    {
        if (_sampleShape is null) throw new InvalidOperationException($"{Name}: transform called before fit");
        if (data.Rank != _sampleShape.Length + 1 || !data.Shape.Dims[1..].SequenceEqual(_sampleShape))
            throw new ArgumentException($"{Name}: fitted on samples of shape ({string.Join(", ", _sampleShape)}), got data of shape {data.Shape}", nameof(data));
    }

    /// <summary>The config parameters that recreate this step (before fitting).</summary>
    protected abstract IReadOnlyDictionary<string, string> Parameters();

    protected abstract IReadOnlyDictionary<string, double[]> SavedArrays();

    protected virtual IReadOnlyDictionary<string, string[]>? SavedTexts() => null;

    protected abstract void Restore(IReadOnlyDictionary<string, double[]> arrays, IReadOnlyDictionary<string, string[]>? texts);

    protected double[] Required(IReadOnlyDictionary<string, double[]> arrays, string key, int? length = null)
    {
        if (!arrays.TryGetValue(key, out var values)) throw new ArgumentException($"preprocessing '{Name}': saved state has no array '{key}'");
        if (length is int expected && values.Length != expected)
            throw new ArgumentException($"preprocessing '{Name}': saved array '{key}' has {values.Length} values, expected {expected}");
        return values;
    }
}
