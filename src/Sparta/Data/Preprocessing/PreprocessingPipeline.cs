using System.Text.Json;
using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Preprocessing steps applied in order. <see cref="Fit"/> fits each step on the training data as
/// the previous steps leave it; <see cref="Transform"/> then applies the same fitted steps to any
/// split or to new samples at prediction. Saves to and loads from JSON, to travel with a model,
/// together with the <see cref="Tabular"/> encoding that turned the input's CSV rows into numbers.
/// </summary>
public sealed class PreprocessingPipeline
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public PreprocessingPipeline(IEnumerable<Preprocessor> steps) => Steps = steps.ToArray();

    /// <summary>Unfitted steps from their configs (as named in an experiment file).</summary>
    public static PreprocessingPipeline FromConfig(IEnumerable<PreprocessorConfig> configs) => new(configs.Select(Preprocessor.Create));

    public IReadOnlyList<Preprocessor> Steps { get; }

    /// <summary>
    /// How the input's CSV file became the numbers the steps take (numeric columns, one-hot encoded
    /// categorical columns), fitted on the training file; null when the input was not a CSV with text columns.
    /// </summary>
    public TabularEncoder? Tabular { get; init; }

    /// <summary>The sample shape (no batch axis) the fitted pipeline takes; null without steps.</summary>
    public Shape? SampleShape => Steps.Count > 0 ? Steps[0].SampleShape : null;

    public void Fit(Tensor train) => FitTransform(train);

    /// <summary>Fits every step and returns the transformed training data; <paramref name="train"/> itself is left as it was.</summary>
    public Tensor FitTransform(Tensor train)
    {
        bool copied = false;
        foreach (var step in Steps)
        {
            step.Fit(train);
            train = Apply(step, train, ref copied);
        }
        return train;
    }

    /// <summary>Applies the fitted steps to a copy of <paramref name="data"/>.</summary>
    public Tensor Transform(Tensor data)
    {
        bool copied = false;
        foreach (var step in Steps) data = Apply(step, data, ref copied);
        return data;
    }

    /// <summary>Once the data is our own copy, shape-keeping steps overwrite it instead of allocating another.</summary>
    private static Tensor Apply(Preprocessor step, Tensor data, ref bool copied)
    {
        if (copied && step.SupportsInPlace)
        {
            step.TransformInPlace(data);
            return data;
        }
        copied = true;
        return step.Transform(data);
    }

    /// <summary>Fits on <paramref name="train"/>'s input <paramref name="input"/> and returns every set with that input transformed.</summary>
    public IReadOnlyList<Dataset> FitApply(string input, Dataset train, params Dataset[] others)
    {
        var result = new List<Dataset> { train.WithInput(input, FitTransform(train.Input(input))) };
        result.AddRange(others.Select(d => d.WithInput(input, Transform(d.Input(input)))));
        return result;
    }

    /// <summary>The fitted steps as plain data, the tabular encoding first when there is one.</summary>
    public IReadOnlyList<PreprocessorState> Save()
    {
        var steps = Steps.Select(s => s.Save());
        return (Tabular is null ? steps : steps.Prepend(Tabular.Save())).ToArray();
    }

    public static PreprocessingPipeline Load(IEnumerable<PreprocessorState> states)
    {
        var list = states.ToList();
        var tabular = list.Count > 0 && list[0].Name == TabularEncoder.StepName ? TabularEncoder.Load(list[0]) : null;
        return new(list.Skip(tabular is null ? 0 : 1).Select(Preprocessor.Load)) { Tabular = tabular };
    }

    public string ToJson() => JsonSerializer.Serialize(Save(), Json);

    public static PreprocessingPipeline FromJson(string json) =>
        Load(JsonSerializer.Deserialize<PreprocessorState[]>(json) ?? throw new ArgumentException("preprocessing: JSON holds no steps"));
}
