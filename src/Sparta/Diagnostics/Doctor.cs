using Sparta.Training;

namespace Sparta.Diagnostics;

/// <summary>
/// Reads a run (its History, and the monitors' records when given) and names what is wrong in
/// plain words, with the evidence and what the slides suggest trying. Each rule looks at one
/// symptom; a healthy run gets no finding. Saturation is left to <see cref="ActivationStatistics"/>:
/// its fraction beyond ±0.99 means saturation only for tanh layers, which the records do not tell apart.
/// </summary>
public static class Doctor
{
    public sealed record Finding(string Problem, string Evidence, string Advice)
    {
        public override string ToString() => $"{Problem}: {Evidence}. Try: {Advice}.";
    }

    /// <param name="barelyMoves">Relative change of the training loss from the first to the last epoch below which the rate is called too small.</param>
    /// <param name="gap">Training minus validation accuracy above which the model is called overfitting.</param>
    public static IReadOnlyList<Finding> Diagnose(History history, ActivationMonitor? activations = null, UpdateRatioMonitor? ratios = null,
        double barelyMoves = 0.01, double gap = 0.1)
    {
        ArgumentNullException.ThrowIfNull(history);
        var findings = new List<Finding>();
        if (!history.Contains("loss") || history["loss"].Count == 0) return findings;
        var loss = history["loss"];
        double first = loss[0], last = loss[^1];
        if (loss.Any(v => !double.IsFinite(v)) || last > 1.5 * first)
            findings.Add(new("divergence", $"training loss went from {first:G4} to {last:G4}",
                "a learning rate 3 to 10 times smaller; gradient clipping; check the inputs are normalized"));
        else if (loss.Count >= 2 && Math.Abs(first - last) < barelyMoves * Math.Abs(first))
            findings.Add(new("learning rate too small", $"training loss barely moves ({first:G4} to {last:G4} over {loss.Count} epochs)",
                "a learning rate 10 times larger (the LR finder suggests one)"));
        if (history.Contains("val_loss"))
        {
            var val = history["val_loss"];
            int best = val.ToList().IndexOf(val.Min());
            if (best < val.Count - 1 && val[^1] > 1.1 * val[best] && last < loss[best])
                findings.Add(new("overfitting", $"validation loss rose from {val[best]:G4} at epoch {history.Epochs[best]} to {val[^1]:G4} while the training loss kept falling",
                    "more data or augmentation, L2 or dropout, a smaller model, or early stopping"));
            else if (history.Contains("accuracy") && history.Contains("val_accuracy") && history["accuracy"][^1] - history["val_accuracy"][^1] > gap)
                findings.Add(new("overfitting", $"training accuracy {history["accuracy"][^1]:P1} against validation {history["val_accuracy"][^1]:P1}",
                    "more data or augmentation, L2 or dropout, a smaller model"));
        }
        if (activations?.Records.LastOrDefault() is { } record) Inspect(record, findings);
        if (ratios?.Records.LastOrDefault() is { } epoch)
            foreach (var (name, ratio) in epoch.UpdateRatio)
                if (name.EndsWith("/kernel", StringComparison.Ordinal) && !(ratio >= UpdateRatioMonitor.HealthyLow && ratio <= UpdateRatioMonitor.HealthyHigh * 10))
                    findings.Add(new("update ratio", $"{name}: {UpdateRatioMonitor.Assess(ratio)}", ratio < UpdateRatioMonitor.HealthyLow ? "a larger learning rate" : "a smaller learning rate"));
        return findings;
    }

    private static void Inspect(ActivationMonitor.Record record, List<Finding> findings)
    {
        double? firstStd = null;
        foreach (var (layer, stats) in record.Layers)
        {
            firstStd ??= stats.Std;
            if (stats.DeadUnits > 0.5)
                findings.Add(new("dead units", $"layer {layer}: {stats.DeadUnits:P0} of its units are zero for the whole batch",
                    "a smaller learning rate, He initialization, or leaky ReLU"));
            if (firstStd > 0 && stats.Std < 1e-3 * firstStd)
                findings.Add(new("vanishing activations", $"layer {layer}: std {stats.Std:G2} against {firstStd:G2} in the first layer",
                    "Glorot initialization for tanh, He for ReLU, or batch normalization"));
        }
    }
}
