using System.Text.Json;
using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Preprocessing steps applied in order. <see cref="Fit"/> fits each step on the training data as
/// the previous steps leave it; <see cref="Transform"/> then applies the same fitted steps to any
/// split or to new samples at prediction. Saves to and loads from JSON, to travel with a model.
/// </summary>
public sealed class PreprocessingPipeline
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public PreprocessingPipeline(IEnumerable<Preprocessor> steps) => Steps = steps.ToArray();

    /// <summary>Unfitted steps from their configs (as named in an experiment file).</summary>
    public static PreprocessingPipeline FromConfig(IEnumerable<PreprocessorConfig> configs) => new(configs.Select(Preprocessor.Create));

    public IReadOnlyList<Preprocessor> Steps { get; }

    public void Fit(Tensor train) => FitTransform(train);

    /// <summary>Fits every step and returns the transformed training data (no second pass over it).</summary>
    public Tensor FitTransform(Tensor train)
    {
        foreach (var step in Steps) train = step.FitTransform(train);
        return train;
    }

    public Tensor Transform(Tensor data)
    {
        foreach (var step in Steps) data = step.Transform(data);
        return data;
    }

    /// <summary>Fits on <paramref name="train"/>'s input <paramref name="input"/> and returns every set with that input transformed.</summary>
    public IReadOnlyList<Dataset> FitApply(string input, Dataset train, params Dataset[] others)
    {
        var result = new List<Dataset> { train.WithInput(input, FitTransform(train.Input(input))) };
        result.AddRange(others.Select(d => d.WithInput(input, Transform(d.Input(input)))));
        return result;
    }

    public IReadOnlyList<PreprocessorState> Save() => Steps.Select(s => s.Save()).ToArray();

    public static PreprocessingPipeline Load(IEnumerable<PreprocessorState> states) => new(states.Select(Preprocessor.Load));

    public string ToJson() => JsonSerializer.Serialize(Save(), Json);

    public static PreprocessingPipeline FromJson(string json) =>
        Load(JsonSerializer.Deserialize<PreprocessorState[]>(json) ?? throw new ArgumentException("preprocessing: JSON holds no steps"));
}
