using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sparta.Terminal;

namespace Sparta.Training;

/// <summary>
/// Verbose output: one line per epoch in the form
/// <c>epoch 001 loss: 0.809 mse:0.803 accuracy:0.600 val_loss:0.861 lr:0.001 time:1.2s</c>,
/// and, only when the console is a terminal outside CI (<see cref="ProgressDisplay"/>), a
/// progress line rewritten in place during the epoch.
/// </summary>
internal sealed class EpochPrinter
{
    private const double RefreshSeconds = 0.2;
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private int _batches;
    private long _lastDraw;
    private bool _drawn;

    public EpochPrinter(TextWriter output) : this(output, ProgressDisplay.IsInteractive(output)) { }

    internal EpochPrinter(TextWriter output, bool interactive)
    {
        _output = output;
        _interactive = interactive;
    }

    public void EpochBegin(int batches)
    {
        _batches = batches;
        _lastDraw = Stopwatch.GetTimestamp();
        _drawn = false;
    }

    public void BatchEnd(int done, double runningLoss)
    {
        if (!_interactive || Stopwatch.GetElapsedTime(_lastDraw).TotalSeconds < RefreshSeconds) return;
        _lastDraw = Stopwatch.GetTimestamp();
        _output.Write(ProgressDisplay.ClearLine + BarLine(done, _batches, runningLoss));
        _drawn = true;
    }

    /// <summary>The progress line during an epoch: <c>    12/469 [=....] loss: 0.5123</c>.</summary>
    public static string BarLine(int done, int batches, double runningLoss) =>
        string.Create(CultureInfo.InvariantCulture, $"{done,6}/{batches} {ProgressDisplay.Bar(done, batches, 30, '=')} loss: {runningLoss:F4}");

    public void EpochEnd(int epoch, IReadOnlyDictionary<string, double> logs, string? stopReason)
    {
        if (_drawn) _output.Write(ProgressDisplay.ClearLine);
        _output.WriteLine(Format(epoch, logs));
        if (stopReason is not null) _output.WriteLine($"stopped: {stopReason}");
        _output.Flush();
    }

    /// <summary>The slides' line: "loss: " first, then "name:value" for the rest, the rate and the time last.</summary>
    public static string Format(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch:D3}"));
        foreach (var (key, value) in logs)
        {
            if (key is "learning_rate" or "epoch_seconds") continue;
            line.Append(key == "loss" ? " loss: " : $" {key}:").Append(Number(value));
        }
        if (logs.TryGetValue("learning_rate", out double rate)) line.Append(" lr:").Append(rate.ToString("G3", CultureInfo.InvariantCulture));
        if (logs.TryGetValue("epoch_seconds", out double seconds)) line.Append(" time:").Append(seconds.ToString("F1", CultureInfo.InvariantCulture)).Append('s');
        return line.ToString();
    }

    // Three decimals as in the slides; small values keep three significant digits instead of printing 0.000.
    private static string Number(double value) => Math.Abs(value) >= 0.01 || value == 0 || !double.IsFinite(value)
        ? value.ToString("F3", CultureInfo.InvariantCulture)
        : value.ToString("G3", CultureInfo.InvariantCulture);
}
