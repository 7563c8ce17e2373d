using System.Globalization;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Dashboard.Tests;

/// <summary>Runs to compare, written as sparta train writes them: history.json and an experiment.yaml differing in the learning rate.</summary>
internal static class ComparedRuns
{
    /// <summary>A run of <paramref name="loss"/>.Length epochs; its validation loss is the training loss plus 0.1.</summary>
    public static History Write(string runsDirectory, string name, double learningRate, double[] loss, double[] seconds)
    {
        var history = new History();
        for (int e = 0; e < loss.Length; e++)
            history.Add(e + 1, new Dictionary<string, double> { ["loss"] = loss[e], ["val_loss"] = loss[e] + 0.1, ["epoch_seconds"] = seconds[e] });
        string directory = Path.Combine(runsDirectory, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "history.json"), HistoryLogger.ToJson(history));
        File.WriteAllText(Path.Combine(directory, "experiment.yaml"),
            $"name: mlp\nepochs: {loss.Length}\noptimizer: {{name: adam, learning_rate: {learningRate.ToString(CultureInfo.InvariantCulture)}}}\n");
        return history;
    }
}
