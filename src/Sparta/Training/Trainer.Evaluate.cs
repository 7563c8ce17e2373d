using Sparta.Autograd;
using Sparta.Data;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Training;

public sealed partial class Trainer
{
    /// <summary>
    /// The loss (penalties included, as in training), data_loss when the model has penalties, and
    /// every metric over <paramref name="data"/>, in inference mode (dropout off, batch-norm running
    /// averages) without recording gradients.
    /// </summary>
    public Dictionary<string, double> Evaluate(Dataset data, int batchSize = 256) => Evaluate(Model, _objective, data, batchSize);

    /// <summary>The scores of <see cref="Evaluate(Dataset, int)"/> for any model, loss and metrics (a saved model's, without a trainer).</summary>
    public static Dictionary<string, double> Evaluate(Model model, Loss loss, IReadOnlyList<Metric> metrics, Dataset data, int batchSize = 256) =>
        Evaluate(model, Objective.Single(loss, metrics.ToArray()), data, batchSize);

    /// <summary>
    /// The scores of a model with several outputs: the weighted total <c>loss</c>, each output's <c>OUTPUT_loss</c>
    /// and <c>OUTPUT_METRIC</c>, from a dataset with a target per output.
    /// </summary>
    public static Dictionary<string, double> Evaluate(Model model, IReadOnlyList<OutputLoss> outputs, Dataset data, int batchSize = 256) =>
        Evaluate(model, Objective.PerOutput(model, outputs), data, batchSize);

    private static Dictionary<string, double> Evaluate(Model model, Objective objective, Dataset data, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("evaluate: the dataset is empty", nameof(data));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"evaluate: batchSize must be positive, got {batchSize}");
        using var noGrad = Tape.NoGrad();
        var result = Score(objective, data, batchSize, inputs => model.ForwardOutputs(inputs, training: false));
        var penalty = model.RegularizationLoss();
        if (penalty is null) return result;
        result["data_loss"] = result["loss"];
        result["loss"] += penalty.Item();
        return result;
    }

    /// <summary>
    /// The loss (without penalties) and every metric of the predictions <paramref name="predict"/> makes
    /// for <paramref name="data"/>'s batches: an ensemble's average is scored as one model's output is.
    /// </summary>
    public Dictionary<string, double> Score(Dataset data, int batchSize, Func<IReadOnlyList<Tensor>, Tensor> predict) =>
        Score(_objective, data, batchSize, inputs => [predict(inputs)]);

    private static Dictionary<string, double> Score(Objective objective, Dataset data, int batchSize, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> predict)
    {
        objective.Reset();
        int[] columns = objective.Columns(data);
        var loader = new BatchLoader(data, batchSize, shuffle: null, oneHotTargets: objective.NeedsOneHot(data));
        double dataLossSum = 0;
        foreach (var batch in loader.Epoch())
            dataLossSum += objective.Loss(predict(batch.Inputs), batch.Target, columns, batch.Count).Item() * (double)batch.Count;
        var result = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = dataLossSum / data.Count };
        objective.Log(result, data.Count);
        return result;
    }

    /// <summary>
    /// The model's outputs for every sample of <paramref name="data"/>, in order (its targets are not
    /// read). Its inputs are the model's in order, as <see cref="Fit"/> and <see cref="Evaluate(Dataset, int)"/>
    /// take them, so a dataset that trained the model predicts with it whatever its inputs are called.
    /// </summary>
    public Tensor Predict(Dataset data, int batchSize = 256)
    {
        if (data.Inputs.Count != Model.InputNames.Count)
            throw new ArgumentException($"predict: model '{Model.Name}' takes {Model.InputNames.Count} input(s) ({string.Join(", ", Model.InputNames)}), the data has {data.Inputs.Count} ({string.Join(", ", data.Inputs.Select(i => i.Name))})");
        return Predictor.Predict(Model, data.Inputs.Select(i => i.Data).ToArray(), batchSize);
    }

    /// <summary>The outputs of a one-input model for the samples (rows) of <paramref name="inputs"/>.</summary>
    public Tensor Predict(Tensor inputs, int batchSize = 256) => Predictor.Predict(Model, [inputs], batchSize);

    /// <summary>The outputs for samples given as one tensor per input name.</summary>
    public Tensor Predict(IReadOnlyDictionary<string, Tensor> inputs, int batchSize = 256) =>
        Predictor.Predict(Model, Predictor.Ordered(Model, inputs), batchSize);
}
