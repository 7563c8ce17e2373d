using System.Globalization;
using System.Text;
using Sparta.Data.Loaders;
using Sparta.Losses;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Training;

namespace Sparta.Experiments;

/// <summary>
/// <c>sparta predict</c>: a saved model's outputs for raw samples, preprocessed as in training, saved
/// as .npy (the outputs as they are) or .csv (one row per sample: the class and each class's
/// probability for a classifier, the values for a regression).
/// </summary>
public static class ModelPrediction
{
    /// <summary>The outputs of a one-output model for raw <paramref name="inputs"/> by input name (key "" for a one-input model).</summary>
    public static Tensor Predict(SavedModel saved, IReadOnlyDictionary<string, Tensor> inputs) =>
        Predictor.Predict(saved.Model, saved.PrepareInputs(inputs));

    /// <summary>Every output of the model (in <see cref="Models.Model.OutputNames"/> order) for raw <paramref name="inputs"/>.</summary>
    public static Tensor[] PredictOutputs(SavedModel saved, IReadOnlyDictionary<string, Tensor> inputs) =>
        Predictor.PredictOutputs(saved.Model, saved.PrepareInputs(inputs));

    /// <summary>
    /// Where each output is written: <paramref name="path"/> itself for a one-output model, else one
    /// file per output beside it named after the output, <c>preds.csv</c> → <c>preds.class.csv</c>, <c>preds.box.csv</c>.
    /// </summary>
    public static string[] OutputPaths(string path, SavedModel saved)
    {
        var names = saved.Model.OutputNames;
        if (names.Count == 1) return [path];
        string stem = Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path));
        return names.Select(name => $"{stem}.{name.Replace(':', '_')}{Path.GetExtension(path)}").ToArray();
    }

    /// <summary>Writes <paramref name="outputs"/> to <paramref name="path"/> (.csv or .npy), atomically.</summary>
    public static void Write(string path, SavedModel saved, Tensor outputs) => Write(path, outputs, saved.Objective is { } o ? LossRegistry.Create(o.Loss) : null);

    /// <summary>
    /// Writes every output to its file (<see cref="OutputPaths"/>), each atomically: as the loss it was trained with
    /// reads it (a classifier's class and probabilities in CSV), or its values when the file records no loss per output.
    /// </summary>
    public static void Write(string path, SavedModel saved, IReadOnlyList<Tensor> outputs)
    {
        if (outputs.Count == 1) { Write(path, saved, outputs[0]); return; }
        var paths = OutputPaths(path, saved);
        var objectives = saved.OutputObjectives;
        for (int o = 0; o < outputs.Count; o++)
        {
            string name = saved.Model.OutputNames[o];
            var loss = objectives?.FirstOrDefault(x => x.Name == name)?.Loss is { } config ? LossRegistry.Create(config) : null;
            Write(paths[o], outputs[o], loss);
        }
    }

    private static void Write(string path, Tensor outputs, Loss? loss)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".npy") AtomicText.Replace(path, temporary => NpyFile.Write(temporary, outputs));
        else if (extension == ".csv") AtomicText.Write(path, Csv(outputs, loss));
        else throw new ArgumentException($"predict: the output file '{path}' must end in .csv or .npy, got '{extension}'");
    }

    /// <summary>
    /// <c>prediction,probability_0,...</c> for a classifier (its loss says so: the probabilities are
    /// the softmax, or sigmoid, of logits); <c>prediction</c> (one output) or <c>prediction_0,...</c> otherwise.
    /// </summary>
    internal static string Csv(Tensor outputs, Loss? loss)
    {
        int rows = outputs.Shape[0], width = outputs.Shape.SizeFrom(1);
        var values = outputs.Span;
        var csv = new StringBuilder();
        var probabilities = new double[Math.Max(width, 2)];
        bool? logits = loss switch
        {
            SparseCategoricalCrossEntropy s => s.FromLogits,
            CategoricalCrossEntropy c => c.FromLogits,
            BinaryCrossEntropy b => b.FromLogits,
            _ => null,
        };
        if (logits is not bool fromLogits)
        {
            csv.AppendLine(width == 1 ? "prediction" : string.Join(',', Enumerable.Range(0, width).Select(k => $"prediction_{k}")));
            for (int r = 0; r < rows; r++)
            {
                for (int k = 0; k < width; k++) csv.Append(k == 0 ? "" : ",").Append(Number(values[r * width + k]));
                csv.Append('\n');
            }
            return csv.ToString();
        }
        bool binary = loss is BinaryCrossEntropy;
        if (binary && width != 1) throw new ArgumentException($"predict: a binary classifier has one output, this model has {width}");
        int classes = binary ? 2 : width;
        csv.Append("prediction");
        for (int k = 0; k < classes; k++) csv.Append(CultureInfo.InvariantCulture, $",probability_{k}");
        csv.Append('\n');
        for (int r = 0; r < rows; r++)
        {
            var row = values.Slice(r * width, width);
            if (binary)
            {
                double p = fromLogits ? 1 / (1 + Math.Exp(-row[0])) : row[0];
                (probabilities[0], probabilities[1]) = (1 - p, p);
            }
            else Probabilities(row, fromLogits, probabilities);
            int best = 0;
            for (int k = 1; k < classes; k++) if (probabilities[k] > probabilities[best]) best = k;
            csv.Append(best.ToString(CultureInfo.InvariantCulture));
            for (int k = 0; k < classes; k++) csv.Append(',').Append(Number(probabilities[k]));
            csv.Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>Softmax of logits (shifted by the largest, so no exponential overflows), or the outputs themselves.</summary>
    private static void Probabilities(ReadOnlySpan<float> row, bool fromLogits, double[] probabilities)
    {
        if (!fromLogits)
        {
            for (int k = 0; k < row.Length; k++) probabilities[k] = row[k];
            return;
        }
        double max = double.NegativeInfinity, sum = 0;
        foreach (float v in row) max = Math.Max(max, v);
        for (int k = 0; k < row.Length; k++) sum += probabilities[k] = Math.Exp(row[k] - max);
        for (int k = 0; k < row.Length; k++) probabilities[k] /= sum;
    }

    private static string Number(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
