using Sparta.Training;

namespace Sparta.Diagnostics;

/// <summary>
/// Reads a run (its History, and the diagnostics recorded during training when there are some) and
/// names what is wrong in plain words, with the evidence and what the slides suggest trying. Each
/// rule looks at one symptom; a healthy run gets no finding.
/// <list type="bullet">
/// <item>divergence: a loss that is not finite, that ever exceeds 3× the first epoch's (the slides'
/// stopping rule), or that ends 1.5× above where it started;</item>
/// <item>a learning rate too small: the training loss moves by less than 1% from first to last epoch;</item>
/// <item>overfitting: the validation loss rises 10% above its best while the training loss keeps
/// falling, or training accuracy exceeds validation accuracy by more than 10 points;</item>
/// <item>on the last activation inspection: dead ReLU layers (most units never positive), saturated
/// tanh/sigmoid layers (a quarter of the outputs in the flat region), vanishing activations (std below
/// 1/1000 of the first layer's);</item>
/// <item>on the last epoch's update ratios: a kernel's ||ΔW||/||W|| outside 1e-3 to 1e-1.</item>
/// </list>
/// </summary>
public static class Doctor
{
    /// <summary>Fraction of a ReLU layer's units dead on the batch above which the layer is named.</summary>
    public const double DeadLimit = 0.5;

    /// <summary>Fraction of a tanh/sigmoid layer's outputs in the flat region above which the layer is named.</summary>
    public const double SaturatedLimit = 0.25;

    /// <param name="barelyMoves">Relative change of the training loss from the first to the last epoch below which the rate is called too small.</param>
    /// <param name="gap">Training minus validation accuracy above which the model is called overfitting.</param>
    public static IReadOnlyList<Finding> Diagnose(History history, RunDiagnostics? diagnostics = null, double barelyMoves = 0.01, double gap = 0.1)
    {
        ArgumentNullException.ThrowIfNull(history);
        var findings = new List<Finding>();
        if (history.Contains("loss") && history["loss"].Count > 0) ReadLoss(history, findings, barelyMoves, gap);
        if (diagnostics?.Activations.LastOrDefault() is { } inspection) ReadActivations(inspection, findings);
        if (diagnostics?.Updates.LastOrDefault() is { } epoch) ReadUpdates(epoch, findings);
        return findings;
    }

    private static void ReadLoss(History history, List<Finding> findings, double barelyMoves, double gap)
    {
        var loss = history["loss"];
        double first = loss[0], last = loss[^1];
        int blowUp = Enumerable.Range(0, loss.Count).FirstOrDefault(i => !double.IsFinite(loss[i]) || loss[i] > 3 * first, -1);
        if (blowUp >= 0 || last > 1.5 * first)
        {
            string evidence = blowUp >= 0 && !double.IsFinite(loss[blowUp])
                ? $"training loss became {loss[blowUp]} at epoch {history.Epochs[blowUp]} (it started at {first:G4})"
                : blowUp >= 0 ? $"training loss reached {loss[blowUp]:G4} at epoch {history.Epochs[blowUp]}, more than 3 times the first epoch's {first:G4}"
                : $"training loss went from {first:G4} to {last:G4}";
            findings.Add(new("divergence", evidence, "a learning rate 3 to 10 times smaller; gradient clipping; check the inputs are normalized"));
        }
        else if (loss.Count >= 2 && Math.Abs(first - last) < barelyMoves * Math.Abs(first))
            findings.Add(new("learning rate too small", $"training loss barely moves ({first:G4} to {last:G4} over {loss.Count} epochs)",
                "a learning rate 10 times larger (the LR finder suggests one)"));
        if (!history.Contains("val_loss")) return;
        var val = history["val_loss"];
        if (val.Any(v => !double.IsFinite(v))) return; // a diverged run's validation says nothing more
        int best = val.ToList().IndexOf(val.Min());
        if (best < val.Count - 1 && val[^1] > 1.1 * val[best] && last < loss[best])
            findings.Add(new("overfitting", $"validation loss rose from {val[best]:G4} at epoch {history.Epochs[best]} to {val[^1]:G4} while the training loss kept falling ({loss[best]:G4} to {last:G4})",
                "more data or augmentation, L2 or dropout, a smaller model, or early stopping"));
        else if (history.Contains("accuracy") && history.Contains("val_accuracy") && history["accuracy"][^1] - history["val_accuracy"][^1] > gap)
            findings.Add(new("overfitting", $"training accuracy {Percent(history["accuracy"][^1], 1)} against validation {Percent(history["val_accuracy"][^1], 1)}",
                "more data or augmentation, L2 or dropout, a smaller model"));
    }

    private static void ReadActivations(ActivationInspection inspection, List<Finding> findings)
    {
        string when = inspection.Epoch == 0 ? "before training" : $"after epoch {inspection.Epoch}";
        double? firstStd = null;
        foreach (var layer in inspection.Layers)
        {
            firstStd ??= layer.Std;
            if (ActivationStatistics.CanDie(layer.Activation) && layer.Dead > DeadLimit)
                findings.Add(new("dead units", $"layer {layer.Layer} ({layer.Activation}): {Percent(layer.Dead, 0)} of its units are zero for the whole batch {when}",
                    "a smaller learning rate (a large step can push a ReLU's bias below every input for good), He initialization, a small positive bias, or leaky ReLU"));
            if (ActivationStatistics.Saturates(layer.Activation) && layer.Saturated > SaturatedLimit)
                findings.Add(new("saturated units", $"layer {layer.Layer} ({layer.Activation}): {Percent(layer.Saturated, 0)} of its outputs are in the flat region ({Flat(layer.Activation)}) {when}, where the gradient is about zero",
                    "smaller initial weights (Glorot for tanh and sigmoid), normalized inputs, batch normalization, or ReLU"));
            if (firstStd > 0 && layer.Std < 1e-3 * firstStd)
                findings.Add(new("vanishing activations", $"layer {layer.Layer}: std {layer.Std:G2} against {firstStd:G2} in the first layer {when}",
                    "Glorot initialization for tanh, He for ReLU, or batch normalization"));
        }
    }

    /// <summary>"87%": the invariant culture's P format puts a space before the sign.</summary>
    private static string Percent(double fraction, int decimals) => (100 * fraction).ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static string Flat(string activation) => activation == "tanh" ? "|a| > 0.99" : "a < 0.01 or a > 0.99";

    private static void ReadUpdates(UpdateEpoch epoch, List<Finding> findings)
    {
        foreach (var update in epoch.Parameters)
        {
            double ratio = update.UpdateRatio;
            if (update.Parameter.EndsWith("/kernel", StringComparison.Ordinal) && !(ratio >= UpdateRatioMonitor.HealthyLow && ratio <= UpdateRatioMonitor.HealthyHigh * 10))
                findings.Add(new("update ratio", $"{update.Parameter} in epoch {epoch.Epoch}: {UpdateRatioMonitor.Assess(ratio)}",
                    ratio < UpdateRatioMonitor.HealthyLow ? "a larger learning rate" : "a smaller learning rate"));
        }
    }
}
