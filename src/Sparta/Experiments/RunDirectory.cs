using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sparta.Data.Splits;
using Sparta.Reports;
using Sparta.Serialization;
using Sparta.Training.Callbacks;

namespace Sparta.Experiments;

/// <summary>
/// The files of a finished run, written all or nothing: into a hidden sibling directory first,
/// then renamed into place, so an interrupted run never leaves a half-written directory. While the
/// run trains, that hidden directory already holds its experiment and its history, epoch by epoch
/// (<see cref="LiveRun"/>), which is how the dashboard shows a run as it goes.
/// <list type="bullet">
/// <item>experiment.yaml — the experiment as resolved (overrides and sampled values in place)</item>
/// <item>history.csv, history.json — every logged value per epoch</item>
/// <item>learning_curve.csv — the loss of every batch (step, epoch, loss)</item>
/// <item>model.sparta — the model file (architecture, weights, optimizer state, preprocessing)</item>
/// <item>result.json — the final scores and speed, as in the result line</item>
/// <item>cross_validation.json — with <c>cross_validation:</c>, every fold's scores and their mean and standard deviation</item>
/// <item>ensemble.json, member-2.sparta, ... — with <c>ensemble:</c>, every member's test scores and the ensemble's, and the further members' model files</item>
/// <item>diagnostics.json — activation statistics, update ratios and the doctor's findings (<see cref="Diagnostics.RunDiagnostics"/>), unless turned off</item>
/// <item>learning_curves.svg (+ .png when rsvg-convert is on the PATH), report.html — the run drawn and summarized (<see cref="RunReport"/>)</item>
/// </list>
/// </summary>
public static class RunDirectory
{
    public const string ModelFileName = "model.sparta";

    /// <summary>The model file of <paramref name="runOrModel"/>: a run directory's <c>model.sparta</c>, or the file itself.</summary>
    public static string ModelPath(string runOrModel) =>
        Directory.Exists(runOrModel) ? Path.Combine(runOrModel, ModelFileName) : runOrModel;

    /// <summary><c>runs/NAME-seedS</c>, or the first free <c>runs/NAME-seedS-K</c>.</summary>
    public static string Default(string root, string name, ulong seed)
    {
        string stem = Path.Combine(root, $"{name}-seed{seed}");
        string candidate = stem;
        for (int k = 2; Directory.Exists(candidate); k++) candidate = $"{stem}-{k}";
        return candidate;
    }

    /// <summary>
    /// Fails before training when the directory is already used or cannot be written (its parent
    /// cannot be created, or refuses a file), so no training is spent on a run that cannot be kept.
    /// </summary>
    public static void CheckFree(string path)
    {
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new IOException($"run directory '{path}' already exists and is not empty; choose another --out");
        string parent = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string probe = Path.Combine(parent, $".{Path.GetFileName(Path.GetFullPath(path))}.probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(parent);
            File.WriteAllBytes(probe, [0]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"run directory '{path}' cannot be written ({e.Message}); choose another --out", e);
        }
    }

    /// <summary>Writes the run with its experiment, whose data paths are rewritten relative to the run directory.</summary>
    public static void Write(string path, Experiment experiment, RunResult result) =>
        Write(path, experiment.MovedTo(path).ToYaml(), result);

    /// <summary>
    /// Writes the run's files; <paramref name="experimentYaml"/> is saved as given, beside the model and inside it. When they cannot be written after all (the disk filled up during
    /// training, the directory was made read-only), the trained model is still kept, in the temp
    /// directory, and the error says where.
    /// </summary>
    public static void Write(string path, string experimentYaml, RunResult result) => Write(path, experimentYaml, result, staging: null);

    /// <summary>
    /// The hidden sibling a run is written into before it takes its name,
    /// <c>.NAME.partial-PID</c>: the process id tells a run still training from one whose process died.
    /// </summary>
    public static string StagingOf(string path)
    {
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}{PartialMarker}{Environment.ProcessId}");
    }

    /// <summary>What separates a staging directory's run name from the id of the process writing it.</summary>
    public const string PartialMarker = ".partial-";

    /// <summary>A new empty staging directory for <paramref name="path"/> (one a dead process of the same id left is removed).</summary>
    internal static string CreateStaging(string path)
    {
        CheckFree(path);
        string staging = StagingOf(path);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <param name="staging">The staging directory the run already wrote into as it trained, or null to make one.</param>
    internal static void Write(string path, string experimentYaml, RunResult result, string? staging)
    {
        try { WriteFiles(path, experimentYaml, result, staging); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string kept = Path.Combine(Path.GetTempPath(), $"sparta-{Path.GetFileName(Path.GetFullPath(path))}-{Environment.ProcessId}.sparta");
            try { ModelFile.Save(kept, result.Trainer, result.Data.Preprocessing); }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"run directory '{path}' could not be written ({e.Message}), nor the trained model kept in {kept} ({again.Message})", e);
            }
            throw new IOException($"run directory '{path}' could not be written ({e.Message}); the trained model is kept in {kept}", e);
        }
    }

    private static void WriteFiles(string path, string experimentYaml, RunResult result, string? live)
    {
        string full = Path.GetFullPath(path);
        CheckFree(path);
        string staging = live ?? CreateStaging(path);
        try
        {
            // Atomically, as the dashboard may be reading the live run's files.
            AtomicText.Write(Path.Combine(staging, RunFiles.ExperimentFile), experimentYaml);
            File.WriteAllText(Path.Combine(staging, "history.csv"), HistoryLogger.ToCsv(result.Trainer.History));
            AtomicText.Write(Path.Combine(staging, RunFiles.HistoryFile), HistoryLogger.ToJson(result.Trainer.History));
            File.WriteAllText(Path.Combine(staging, RunFiles.CurveFile), LearningCurve(result));
            File.WriteAllText(Path.Combine(staging, RunFiles.ResultFile), ResultJson(result));
            if (result.CrossValidation is { } folds) File.WriteAllText(Path.Combine(staging, CrossValidationFile), CrossValidationJson(folds));
            if (result.Ensemble is { } ensemble)
            {
                File.WriteAllText(Path.Combine(staging, EnsembleFile), EnsembleJson(ensemble));
                for (int k = 1; k < ensemble.Members.Count; k++)
                    ModelFile.Save(Path.Combine(staging, $"member-{k + 1}.sparta"), ensemble.Members[k], result.Data.Preprocessing);
            }
            result.Diagnostics?.Save(Path.Combine(staging, Diagnostics.RunDiagnostics.FileName));
            ModelFile.Save(Path.Combine(staging, ModelFileName), result.Trainer, result.Data.Preprocessing, experimentYaml);
            RunReport.WriteInto(staging, Path.GetFileName(full));
            if (Directory.Exists(full)) Directory.Delete(full); // empty, checked above
            Directory.Move(staging, full);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// <c>result test_accuracy=A test_loss=L epochs=E train_s=S samples_per_s=R</c>: the test scores
    /// (or, without a test set, the last epoch's validation scores), then the run's length and speed.
    /// </summary>
    public static string ResultLine(RunResult result)
    {
        string scores = Scores.Line(FinalScores(result));
        var line = new StringBuilder(scores.Length > 0 ? "result " + scores : "result");
        line.Append(CultureInfo.InvariantCulture, $" epochs={result.Epochs} train_s={result.TrainSeconds:F2} samples_per_s={result.SamplesPerSecond:F0}");
        return line.ToString();
    }

    /// <summary><c>result test_accuracy=A test_loss=L</c>: test scores as the result line prints them, without the run's length and speed.</summary>
    public static string TestResultLine(IReadOnlyDictionary<string, double> scores) => "result " + Scores.Line(TestScores(scores));

    /// <summary>Scores on the test set as the result line names them (<c>test_accuracy</c>), metrics first, then the losses.</summary>
    public static IEnumerable<(string Key, double Value)> TestScores(IReadOnlyDictionary<string, double> scores) =>
        Scores.Ordered(scores.Select(s => (s.Key, s.Value))).Select(s => ("test_" + s.Key, s.Value));

    /// <summary>Metrics first, then the loss, as Keras' evaluate prints them.</summary>
    public static IEnumerable<(string Key, double Value)> FinalScores(RunResult result)
    {
        if (result.TestScores.Count > 0) return TestScores(result.TestScores);
        var history = result.Trainer.History;
        return Scores.Ordered(history.Keys.Where(k => k.StartsWith("val_", StringComparison.Ordinal)).Select(k => (k, history[k][^1])));
    }

    private static string LearningCurve(RunResult result)
    {
        var csv = new StringBuilder("step,epoch,loss\n");
        for (int i = 0; i < result.BatchLosses.Count; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i + 1},{result.BatchLosses[i].Epoch},{result.BatchLosses[i].Loss:R}\n");
        return csv.ToString();
    }

    /// <summary>Each fold's scores, and each score's mean and standard deviation over the folds.</summary>
    public const string CrossValidationFile = "cross_validation.json";

    /// <summary>Each member's test scores and the ensemble's.</summary>
    public const string EnsembleFile = "ensemble.json";

    private static string CrossValidationJson(CrossValidationResult result) => Json(new Dictionary<string, object>
    {
        ["folds"] = result.Folds,
        ["mean"] = result.Metrics.ToDictionary(m => m, result.Mean),
        ["std"] = result.Metrics.ToDictionary(m => m, result.Std),
    });

    private static string EnsembleJson(EnsembleResult result) => Json(new Dictionary<string, object>
    {
        ["members"] = result.MemberScores,
        ["ensemble"] = result.Scores,
    });

    // A diverged run's scores are NaN or infinite: written as "NaN"/"Infinity" rather than failing the run.
    private static string Json(object values) =>
        JsonSerializer.Serialize(values, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals });

    private static string ResultJson(RunResult result)
    {
        var values = FinalScores(result).ToDictionary(s => s.Key, s => (object)s.Value);
        values["epochs"] = result.Epochs;
        values["train_s"] = result.TrainSeconds;
        values["samples_per_s"] = result.SamplesPerSecond;
        return Json(values);
    }
}
