using System.Globalization;
using System.Text.Json;
using Sparta.Diagnostics;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Reports;

/// <summary>
/// What a report needs from a run directory written by <c>sparta train</c>: the History (required:
/// it is what makes a directory a run), and when present the experiment file, the per-batch losses,
/// the final scores of result.json and what the run recorded about its insides (diagnostics.json).
/// </summary>
public sealed record RunFiles(
    string Directory,
    string Name,
    History History,
    string? ExperimentYaml,
    IReadOnlyList<BatchLoss> BatchLosses,
    IReadOnlyList<(string Key, double Value)> Result,
    RunDiagnostics? Diagnostics)
{
    /// <summary>The loss of the run's first batch (the untrained model's), or null without a learning curve.</summary>
    public double? FirstBatchLoss => BatchLosses.Count > 0 ? BatchLosses[0].Loss : null;

    public const string HistoryFile = "history.json", ExperimentFile = "experiment.yaml", CurveFile = "learning_curve.csv", ResultFile = "result.json";

    /// <summary>Reads a run directory; a missing directory or history fails with one line naming it.</summary>
    /// <param name="batches">False skips the loss of every batch and the diagnostics (empty and null): what a list
    /// or a comparison of many runs needs is the History, the result and the experiment.</param>
    public static RunFiles Load(string directory, bool batches = true)
    {
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"run directory '{directory}' does not exist");
        string historyPath = Path.Combine(directory, HistoryFile);
        if (!File.Exists(historyPath))
            throw new FileNotFoundException($"run directory '{directory}' has no {HistoryFile}; is it a directory written by sparta train?", historyPath);
        History history;
        try { history = HistoryLogger.FromJson(File.ReadAllText(historyPath)); }
        catch (JsonException e) { throw new FormatException($"run history '{historyPath}' cannot be read: {e.Message}", e); }

        string experimentPath = Path.Combine(directory, ExperimentFile);
        string? experiment = File.Exists(experimentPath) ? File.ReadAllText(experimentPath) : null;
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        string diagnosticsPath = Path.Combine(directory, RunDiagnostics.FileName);
        var diagnostics = batches && File.Exists(diagnosticsPath) ? RunDiagnostics.Load(diagnosticsPath) : null;
        return new RunFiles(directory, name, history, experiment, batches ? ReadCurve(Path.Combine(directory, CurveFile)) : [], ReadResult(Path.Combine(directory, ResultFile)), diagnostics);
    }

    private static IReadOnlyList<BatchLoss> ReadCurve(string path)
    {
        if (!File.Exists(path)) return [];
        var rows = new List<BatchLoss>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)).Skip(1))
        {
            var cells = line.Split(',');
            if (line.Length == 0) continue;
            if (cells.Length != 3
                || !int.TryParse(cells[0], CultureInfo.InvariantCulture, out int step)
                || !int.TryParse(cells[1], CultureInfo.InvariantCulture, out int epoch)
                || !double.TryParse(cells[2], CultureInfo.InvariantCulture, out double loss))
                throw new FormatException($"learning curve '{path}' line {number}: expected step,epoch,loss, got '{line}'");
            rows.Add(new BatchLoss(step, epoch, loss));
        }
        return rows;
    }

    /// <summary>The numbers of result.json in file order (scores first, then epochs and speed).</summary>
    private static IReadOnlyList<(string Key, double Value)> ReadResult(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new FormatException($"run result '{path}' must be a JSON object of scores, got a JSON {document.RootElement.ValueKind}");
            // A diverged run's scores are written "NaN" (JSON has no NaN number): they belong in the table too.
            return document.RootElement.EnumerateObject()
                .Select(p => (p.Name, Value: p.Value.ValueKind switch
                {
                    JsonValueKind.Number => p.Value.GetDouble(),
                    JsonValueKind.String when double.TryParse(p.Value.GetString(), CultureInfo.InvariantCulture, out double named) => named,
                    _ => (double?)null,
                }))
                .Where(p => p.Value is not null).Select(p => (p.Name, p.Value!.Value)).ToArray();
        }
        catch (JsonException e) { throw new FormatException($"run result '{path}' cannot be read: {e.Message}", e); }
    }
}
