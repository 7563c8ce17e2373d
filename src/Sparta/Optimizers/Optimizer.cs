using System.Numerics.Tensors;
using Sparta.Configuration;
using Sparta.Schedules;
using Sparta.Tensors;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Optimizers;

/// <summary>
/// A first-order optimizer in the Keras 3 pattern. The base class owns the learning-rate schedule,
/// gradient clipping, decoupled weight decay, the step count and the per-parameter state (slots,
/// allocated once on the first step); a subclass only writes <see cref="Update"/>, the step for one
/// parameter on spans. <see cref="Step(IReadOnlyList{Parameter})"/> updates every parameter in one pass.
/// </summary>
public abstract class Optimizer : IOptimizer
{
    private IReadOnlyList<Parameter>? _built;
    private Tensor[][] _slots = [];

    protected Optimizer(LearningRateSchedule learningRate, OptimizerOptions? options)
    {
        LearningRate = learningRate ?? throw new ArgumentNullException(nameof(learningRate));
        Options = options ?? new OptimizerOptions();
        Options.Validate(Owner);
    }

    public abstract string Name { get; }

    public LearningRateSchedule LearningRate { get; }

    public OptimizerOptions Options { get; }

    /// <summary>Updates done so far; the schedule is read at this step.</summary>
    public long Iterations { get; private set; }

    /// <summary>The rate the next step will use.</summary>
    public double CurrentLearningRate => LearningRate.Rate(Iterations);

    /// <summary>Names of the per-parameter state buffers, e.g. ["m", "v"] for Adam.</summary>
    protected abstract IReadOnlyList<string> SlotNames { get; }

    /// <summary>"optimizer 'adam'", for messages.</summary>
    protected string Owner => $"optimizer '{Name}'";

    /// <summary>
    /// Applies one update to every trainable parameter from its gradient; a parameter without a
    /// gradient (unused by this loss) is left alone, as in PyTorch. Clipping rewrites the gradient
    /// buffers in place (they are recomputed every step). Later calls must pass the same
    /// parameters as the first.
    /// </summary>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        Build(parameters);
        ClipGradients(parameters);
        double rate = LearningRate.Rate(Iterations);
        float learningRate = (float)rate;
        float keep = (float)(1 - rate * Options.WeightDecay);
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter p = parameters[i];
            if (!Updates(p)) continue;
            Span<float> value = p.Value.Span;
            if (Options.WeightDecay > 0) TensorPrimitives.Multiply(value, keep, value);
            Update(value, p.Gradient.Span, _slots[i], learningRate);
        }
        Iterations++;
    }

    /// <summary>
    /// Steps over bare tensors, as PyTorch's optimizers do: their state is keyed by position
    /// ("0", "1", ...), so pass them in the same order every time.
    /// </summary>
    public void Step(IReadOnlyList<Tensor> parameters)
    {
        bool same = _built is not null && _built.Count == parameters.Count;
        for (int i = 0; same && i < parameters.Count; i++) same = ReferenceEquals(_built![i].Value, parameters[i]);
        Step(same ? _built! : parameters.Select((t, i) => new Parameter(i.ToString(System.Globalization.CultureInfo.InvariantCulture), t)).ToArray());
    }

    /// <summary>Clears the gradients of the parameters this optimizer was built with (PyTorch's zero_grad).</summary>
    public void ZeroGrad()
    {
        if (_built is null) return;
        // By index: a foreach over the list would allocate its enumerator every step.
        for (int i = 0; i < _built.Count; i++) _built[i].ZeroGrad();
    }

    private static bool Updates(Parameter p) => p.Trainable && p.HasGradient;

    /// <summary>
    /// One parameter's update: <paramref name="slots"/> are its buffers in <see cref="SlotNames"/>
    /// order, zero before the first step. The step number (1-based) is <see cref="Iterations"/> + 1.
    /// </summary>
    protected abstract void Update(Span<float> value, ReadOnlySpan<float> gradient, Tensor[] slots, float learningRate);

    /// <summary>The optimizer's own hyperparameters (the base adds the rate, clipping and decay).</summary>
    protected abstract void WriteConfig(IDictionary<string, object> parameters);

    public ComponentConfig GetConfig()
    {
        var parameters = new Dictionary<string, object> { ["learning_rate"] = ScheduleRegistry.ToValue(LearningRate) };
        Options.Write(parameters);
        WriteConfig(parameters);
        return new ComponentConfig(Name, parameters);
    }

    public OptimizerState ExportState()
    {
        var slots = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (_built is not null)
            for (int i = 0; i < _built.Count; i++)
                for (int s = 0; s < SlotNames.Count; s++)
                    slots[$"{_built[i].Name}/{SlotNames[s]}"] = _slots[i][s].ToArray();
        return new OptimizerState(Iterations, slots, LearningRate.ExportState());
    }

    /// <summary>Restores a checkpoint's state for these parameters (the ones later passed to <see cref="Step(IReadOnlyList{Parameter})"/>).</summary>
    public void ImportState(OptimizerState state, IReadOnlyList<Parameter> parameters)
    {
        if (state.Iterations < 0) throw new ArgumentException($"{Owner}: state iterations must be non-negative, got {state.Iterations}");
        _built = null;
        Build(parameters);
        int expected = parameters.Count * SlotNames.Count;
        if (state.Slots.Count != expected)
            throw new ArgumentException($"{Owner}: state holds {state.Slots.Count} slots, these parameters need {expected}");
        for (int i = 0; i < parameters.Count; i++)
            for (int s = 0; s < SlotNames.Count; s++)
            {
                string key = $"{parameters[i].Name}/{SlotNames[s]}";
                if (!state.Slots.TryGetValue(key, out var values))
                    throw new ArgumentException($"{Owner}: state lacks slot '{key}'; {NameSuggestions.Hint(key, state.Slots.Keys)}");
                if (values.Length != _slots[i][s].Size)
                    throw new ArgumentException($"{Owner}: slot '{key}' holds {values.Length} values, parameter needs {_slots[i][s].Size}");
                values.CopyTo(_slots[i][s].Span);
            }
        LearningRate.ImportState(state.Schedule);
        Iterations = state.Iterations;
    }

    private void Build(IReadOnlyList<Parameter> parameters)
    {
        if (_built is not null)
        {
            if (parameters.Count != _built.Count)
                throw new ArgumentException($"{Owner}: step got {parameters.Count} parameters, the optimizer was built for {_built.Count}");
            for (int i = 0; i < parameters.Count; i++)
                if (!ReferenceEquals(parameters[i], _built[i]))
                    throw new ArgumentException($"{Owner}: parameter {i} is '{parameters[i].Name}', the optimizer was built with '{_built[i].Name}'");
            return;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
            if (!names.Add(p.Name)) throw new ArgumentException($"{Owner}: parameter name '{p.Name}' appears twice; names key the optimizer state");
        // Outside any pool: the slots live as long as the optimizer (see TensorPool.Aside).
        using (TensorPool.Aside()) _slots = parameters.Select(p => SlotNames.Select(_ => Tensor.Zeros(p.Value.Shape)).ToArray()).ToArray();
        InitializeSlots(_slots);
        _built = parameters.ToArray();
    }

    /// <summary>Sets slots' starting values when zero is not right (Adagrad's initial accumulator).</summary>
    protected virtual void InitializeSlots(Tensor[][] slots) { }

    private void ClipGradients(IReadOnlyList<Parameter> parameters)
    {
        if (Options.ClipValue is double limit)
        {
            float c = (float)limit;
            foreach (var p in parameters.Where(Updates)) TensorPrimitives.Clamp(p.Gradient.Span, -c, c, p.Gradient.Span);
        }
        else if (Options.ClipNorm is double maxNorm)
        {
            foreach (var p in parameters.Where(Updates)) Rescale(p.Gradient.Span, Math.Sqrt(TensorPrimitives.SumOfSquares<float>(p.Gradient.Span)), maxNorm);
        }
        else if (Options.GlobalClipNorm is double maxGlobalNorm)
        {
            double squares = 0;
            foreach (var p in parameters.Where(Updates)) squares += TensorPrimitives.SumOfSquares<float>(p.Gradient.Span);
            double norm = Math.Sqrt(squares);
            foreach (var p in parameters.Where(Updates)) Rescale(p.Gradient.Span, norm, maxGlobalNorm);
        }
    }

    private static void Rescale(Span<float> gradient, double norm, double maxNorm)
    {
        if (norm > maxNorm) TensorPrimitives.Multiply(gradient, (float)(maxNorm / norm), gradient);
    }

    public override string ToString() => GetConfig().ToJson();
}
