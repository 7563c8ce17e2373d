using Sparta.Data;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Training;

/// <summary>
/// What a trainer minimizes and logs for its batches: a one-output model's loss against the batch's
/// target, or, for a model with several outputs, each output's loss against its columns of the target
/// (<see cref="Dataset.OutputColumns"/>), weighted and summed (Keras' <c>loss_weights</c>). Metrics are
/// updated from the same predictions; the sums since <see cref="Reset"/> give the logged values.
/// </summary>
internal sealed class Objective
{
    private readonly Head[] _heads;

    private Objective(Head[] heads, bool named)
    {
        _heads = heads;
        Named = named;
        var taken = new HashSet<string>(["loss", "data_loss"], StringComparer.Ordinal);
        foreach (string key in heads.SelectMany(h => h.Keys()))
            if (!taken.Add(key)) throw new ArgumentException($"trainer: logged name '{key}' appears twice or clashes with the loss", "metrics");
    }

    /// <summary>One loss and its metrics over a one-output model's output.</summary>
    public static Objective Single(Loss loss, Metric[] metrics) => new([new Head(null, 0, 0, loss, 1, metrics)], named: false);

    /// <summary>A loss, weight and metrics per output of <paramref name="model"/>, matched by output name; every output needs one.</summary>
    public static Objective PerOutput(Model model, IReadOnlyList<OutputLoss> outputs)
    {
        var names = model.OutputNames;
        foreach (var output in outputs)
        {
            if (!names.Contains(output.Output))
                throw new ArgumentException($"trainer: model '{model.Name}' has no output '{output.Output}'; {Configuration.NameSuggestions.Hint(output.Output, names)}", nameof(outputs));
            if (!(output.Weight >= 0 && double.IsFinite(output.Weight)))
                throw new ArgumentException($"trainer: the loss weight of output '{output.Output}' must be a finite number ≥ 0, got {output.Weight}", nameof(outputs));
        }
        var heads = names.Select((name, index) =>
        {
            var given = outputs.Where(o => o.Output == name).ToArray();
            if (given.Length != 1)
                throw new ArgumentException($"trainer: output '{name}' of model '{model.Name}' needs exactly one loss, got {given.Length}", nameof(outputs));
            return new Head(name, index, model.OutputShapes[index].Size, given[0].Loss, given[0].Weight, given[0].Metrics?.ToArray() ?? []);
        }).ToArray();
        return new Objective(heads, named: true);
    }

    /// <summary>Whether the logs name each output (a model with several outputs).</summary>
    public bool Named { get; }

    /// <summary>The loss of a one-output model, or of the first output.</summary>
    public Loss FirstLoss => _heads[0].Loss;

    /// <summary>Every metric, output by output.</summary>
    public IReadOnlyList<Metric> Metrics => _heads.SelectMany(h => h.Metrics).ToArray();

    /// <summary>Each output's part (empty for a one-output model).</summary>
    public IReadOnlyList<OutputLoss> Outputs => Named ? _heads.Select(h => new OutputLoss(h.Output!, h.Loss, h.Weight, h.Metrics)).ToArray() : [];

    /// <summary>Every key the objective logs besides <c>loss</c> and <c>data_loss</c>, with whether a larger value is better.</summary>
    public IEnumerable<(string Key, bool HigherIsBetter)> LoggedKeys() =>
        _heads.SelectMany(h => h.Keys().Zip(h.Directions()));

    /// <summary>Whether <paramref name="data"/>'s targets need one-hot rows made by the batch loader (one output, categorical cross-entropy, class indices).</summary>
    public bool NeedsOneHot(Dataset data) => !Named && _heads[0].Loss is CategoricalCrossEntropy && data.Labels is not null && data.Target.Rank == 1;

    /// <summary>Where each output's target starts in <paramref name="data"/>'s target rows; checks that every output has its columns.</summary>
    public int[] Columns(Dataset data)
    {
        if (!Named) return [0];
        var columns = data.OutputColumns
            ?? throw new ArgumentException($"trainer: the model has {_heads.Length} outputs ({string.Join(", ", _heads.Select(h => h.Output))}) and the data one target; give a target per output");
        var offsets = new int[_heads.Length];
        for (int h = 0; h < _heads.Length; h++)
        {
            var head = _heads[h];
            int at = 0, found = -1;
            foreach (var (output, width) in columns)
            {
                if (output == head.Output)
                {
                    if (width != head.TargetWidth)
                        throw new ArgumentException($"trainer: output '{head.Output}' takes {head.TargetWidth} target value(s) per sample ({(head.TakesClasses ? "a class index" : "its output's size")}), the data gives {width}");
                    found = at;
                }
                at += width;
            }
            offsets[h] = found >= 0 ? found
                : throw new ArgumentException($"trainer: the data has no target for output '{head.Output}' (targets: {string.Join(", ", columns.Select(c => c.Output))})");
        }
        return offsets;
    }

    public void Reset()
    {
        foreach (var head in _heads)
        {
            head.LossSum = 0;
            foreach (var metric in head.Metrics) metric.Reset();
        }
    }

    /// <summary>
    /// The batch's loss on the tape (the weighted sum over outputs), each output's loss added to its sum
    /// for <paramref name="count"/> samples, and the metrics updated. <paramref name="columns"/> is <see cref="Columns"/>.
    /// </summary>
    public Tensor Loss(IReadOnlyList<Tensor> predictions, Tensor target, int[] columns, int count)
    {
        if (!Named)
        {
            var head = _heads[0];
            var loss = head.Loss.Compute(predictions[0], target);
            foreach (var metric in head.Metrics) metric.Update(target, predictions[0]);
            return loss;
        }
        Tensor? total = null;
        for (int h = 0; h < _heads.Length; h++)
        {
            var head = _heads[h];
            var prediction = predictions[head.OutputIndex];
            var part = head.Target(target, columns[h], prediction);
            var loss = head.Loss.Compute(prediction, part);
            head.LossSum += loss.Item() * count;
            foreach (var metric in head.Metrics) metric.Update(part, prediction);
            var weighted = head.Weight == 1 ? loss : loss * (float)head.Weight;
            total = total is null ? weighted : total + weighted;
        }
        return total!;
    }

    /// <summary>Adds each output's mean loss over <paramref name="seen"/> samples (several outputs) and every metric's result.</summary>
    public void Log(Dictionary<string, double> logs, int seen)
    {
        foreach (var head in _heads)
        {
            if (Named) logs[head.Prefix + "loss"] = head.LossSum / seen;
            foreach (var metric in head.Metrics) logs[head.Prefix + metric.Name] = metric.Result();
        }
    }

    private sealed class Head(string? output, int outputIndex, int outputSize, Loss loss, double weight, Metric[] metrics)
    {
        public string? Output { get; } = output;
        public int OutputIndex { get; } = outputIndex;

        /// <summary>Columns of the target rows this output reads: one class index for a cross-entropy over classes, else a value per output value.</summary>
        public int TargetWidth => TakesClasses ? 1 : outputSize;
        public Loss Loss { get; } = loss;
        public double Weight { get; } = weight;
        public Metric[] Metrics { get; } = metrics;
        public double LossSum { get; set; }

        /// <summary>Keras' keys for an output: <c>species_loss</c>, <c>species_accuracy</c>; none for a one-output model's loss.</summary>
        public string Prefix => Output is null ? "" : Output + "_";

        public IEnumerable<string> Keys() => (Output is null ? [] : new[] { Prefix + "loss" }).Concat(Metrics.Select(m => Prefix + m.Name));

        public IEnumerable<bool> Directions() => (Output is null ? [] : new[] { false }).Concat(Metrics.Select(m => m.HigherIsBetter));

        public bool TakesClasses => Loss is SparseCategoricalCrossEntropy or CategoricalCrossEntropy;

        /// <summary>
        /// This output's target out of the batch's rows: class indices (batch) for a cross-entropy over classes (one-hot
        /// rows for the categorical one), else the values in the prediction's shape.
        /// </summary>
        public Tensor Target(Tensor rows, int start, Tensor prediction)
        {
            int batch = rows.Shape[0], stride = rows.Shape[1], width = TargetWidth;
            var source = rows.Span;
            if (Loss is CategoricalCrossEntropy)
            {
                int classes = prediction.Shape[1];
                var oneHot = Tensor.Zeros(batch, classes);
                var hot = oneHot.Span;
                for (int i = 0; i < batch; i++)
                {
                    float label = source[i * stride + start];
                    if (!(label >= 0 && label < classes && label == MathF.Floor(label)))
                        throw new ArgumentException($"trainer: output '{Output}' has {classes} classes, its target at row {i} is {label}");
                    hot[i * classes + (int)label] = 1;
                }
                return oneHot;
            }
            var part = Tensor.Uninitialized(TakesClasses ? new Shape(batch) : prediction.Shape);
            var to = part.Span;
            for (int i = 0; i < batch; i++) source.Slice(i * stride + start, width).CopyTo(to.Slice(i * width, width));
            return part;
        }
    }
}
