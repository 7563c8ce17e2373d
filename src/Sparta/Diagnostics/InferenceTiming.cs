using System.Diagnostics;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Diagnostics;

/// <summary>
/// The wall and CPU time of one inference batch through an <see cref="InferencePlan"/> (the way a
/// server calls a model: buffers planned once, reused every call): calls are doubled until one timing
/// fills a fifth of the budget (that run is the warm-up), then five timings of that many calls give
/// the median (by wall time). CPU time is the process's, every thread of it: above the wall time,
/// other threads (the garbage collector's, a kernel's workers) worked too; below it, the process
/// waited (for a processor the machine's other work held). The inputs are 0.5 everywhere (the values
/// do not change the work), shaped as the model declares.
/// </summary>
public static class InferenceTiming
{
    /// <summary>Seconds of one batch: the wall clock's and the process's processor time.</summary>
    public readonly record struct Timing(double Wall, double Cpu);

    public static double SecondsPerBatch(Model model, int batch, double seconds) => Measure(model, batch, seconds).Wall;

    /// <summary>One step of the forward pass: its layer's name and type, the seconds of its fastest call and its mean over the calls.</summary>
    public readonly record struct LayerTiming(string Layer, string Type, double Seconds, double MeanSeconds);

    /// <summary>
    /// Where a call's time goes, means over the calls (seconds), which add up: <see cref="Before"/>
    /// (the plan's setup until the first layer starts), each layer's <see cref="LayerTiming.MeanSeconds"/>,
    /// and <see cref="After"/> (from the last layer's end until the call returns).
    /// </summary>
    public sealed record LayerBreakdown(IReadOnlyList<LayerTiming> Layers, double Before, double After, double Call, int Calls);

    /// <summary>
    /// Each layer's share of one batch through an <see cref="InferencePlan"/>: calls are repeated for
    /// <paramref name="seconds"/> (after one warm-up call); each layer's fastest call (wall clock) is
    /// its undisturbed cost, which on a busy machine the mean is not, and the means add up to the
    /// call's (<see cref="LayerBreakdown"/>). Layers run as one pass (convolutions and their max
    /// poolings, <see cref="InferencePlan"/>) take 0 but the first, whose time holds them all.
    /// </summary>
    public static LayerBreakdown MeasureLayers(Model model, int batch, double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        var inputs = Inputs(model, batch);
        var plan = new InferencePlan(model);
        var steps = model.StepNames;
        var stamps = new long[steps.Count + 1];
        var fastest = Enumerable.Repeat(long.MaxValue, steps.Count).ToArray();
        var total = new long[steps.Count];
        long before = 0, after = 0, calls = 0;
        plan.RunOutputs(inputs, _ => { }, stamps);
        long budget = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        long end;
        do
        {
            long start = Stopwatch.GetTimestamp();
            plan.RunOutputs(inputs, _ => { }, stamps);
            end = Stopwatch.GetTimestamp();
            for (int s = 0; s < steps.Count; s++)
            {
                long ticks = stamps[s + 1] - stamps[s];
                fastest[s] = Math.Min(fastest[s], ticks);
                total[s] += ticks;
            }
            before += stamps[0] - start;
            after += end - stamps[^1];
            calls++;
        } while (end < budget);
        double Mean(long ticks) => (double)ticks / calls / Stopwatch.Frequency;
        var layers = steps.Select((step, s) => new LayerTiming(step.Name, step.Type, (double)fastest[s] / Stopwatch.Frequency, Mean(total[s]))).ToArray();
        return new LayerBreakdown(layers, Mean(before), Mean(after), Mean(before + after + total.Sum()), (int)calls);
    }

    public static Timing Measure(Model model, int batch, double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        var inputs = Inputs(model, batch);
        var plan = new InferencePlan(model);
        using var process = Process.GetCurrentProcess();
        Timing Time(int calls)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) plan.RunOutputs(inputs, _ => { });
            double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            process.Refresh();
            return new Timing(wall, (process.TotalProcessorTime - cpu).TotalSeconds);
        }
        int callsPerTiming = 1;
        while (Time(callsPerTiming).Wall < seconds / 5) callsPerTiming *= 2;
        var timings = Enumerable.Range(0, 5).Select(_ => Time(callsPerTiming)).OrderBy(t => t.Wall).ToArray();
        return new Timing(timings[2].Wall / callsPerTiming, timings[2].Cpu / callsPerTiming);
    }

    private static Tensor[] Inputs(Model model, int batch) =>
        model.InputShapes.Select(s => Tensor.Full(0.5f, [batch, .. s.ToArray()])).ToArray();
}
