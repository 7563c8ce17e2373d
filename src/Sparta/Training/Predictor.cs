using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Training;

/// <summary>
/// Batched inference through one <see cref="InferencePlan"/> (no tape, buffers reused from batch to
/// batch): rows are cut as views (no copy), each batch's outputs are copied into one result tensor.
/// </summary>
public static class Predictor
{
    /// <summary>Runs a one-output <paramref name="model"/> in inference mode on one tensor per input (in <see cref="Model.InputNames"/> order).</summary>
    public static Tensor Predict(Model model, IReadOnlyList<Tensor> inputs, int batchSize = 256)
    {
        if (model.OutputNames.Count != 1) _ = model.OutputShape; // names the outputs in the error
        return PredictOutputs(model, inputs, batchSize)[0];
    }

    /// <summary>Every output of <paramref name="model"/> (in <see cref="Model.OutputNames"/> order) for one tensor per input.</summary>
    public static Tensor[] PredictOutputs(Model model, IReadOnlyList<Tensor> inputs, int batchSize = 256)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"predict: batchSize must be positive, got {batchSize}");
        if (inputs.Count != model.InputNames.Count)
            throw new ArgumentException($"predict: model '{model.Name}' expects {model.InputNames.Count} inputs ({string.Join(", ", model.InputNames)}), got {inputs.Count}");
        int count = inputs[0].Rank == 0 ? 0 : inputs[0].Shape[0];
        for (int i = 0; i < inputs.Count; i++)
        {
            var expected = model.InputShapes[i];
            if (inputs[i].Rank != expected.Rank + 1 || inputs[i].Shape[0] != count || inputs[i].Shape.SizeFrom(1) != expected.Size)
                throw new ArgumentException($"predict: input '{model.InputNames[i]}' has shape {inputs[i].Shape}, expected ({count}, {string.Join(", ", expected.ToArray())})");
        }
        var shapes = model.OutputShapes;
        var results = shapes.Select(shape => Tensor.Uninitialized(new Shape([count, .. shape.ToArray()]))).ToArray();
        var plan = new InferencePlan(model);
        var batch = new Tensor[inputs.Count];
        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            for (int i = 0; i < inputs.Count; i++) batch[i] = inputs[i].RowsView(start, n);
            plan.RunOutputs(batch, outputs =>
            {
                for (int o = 0; o < outputs.Count; o++)
                {
                    int row = shapes[o].Size;
                    outputs[o].Span.CopyTo(results[o].Span.Slice(start * row, n * row));
                }
            });
        }
        return results;
    }

    /// <summary>The tensors of <paramref name="inputs"/> in the model's input order; unknown or missing names are errors.</summary>
    public static Tensor[] Ordered(Model model, IReadOnlyDictionary<string, Tensor> inputs)
    {
        foreach (string key in inputs.Keys)
            if (!model.InputNames.Contains(key))
                throw new ArgumentException($"predict: model '{model.Name}' has no input '{key}'; {Configuration.NameSuggestions.Hint(key, model.InputNames)}");
        return model.InputNames.Select(n => inputs.TryGetValue(n, out var t) ? t
            : throw new ArgumentException($"predict: input '{n}' of model '{model.Name}' is missing")).ToArray();
    }
}
