using System.Diagnostics;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Diagnostics;

/// <summary>
/// The wall time of one inference batch through an <see cref="InferencePlan"/> (the way a server
/// calls a model: buffers planned once, reused every call): calls are doubled until one timing fills a fifth of the
/// budget (that run is the warm-up), then five timings of that many calls give the median. The
/// inputs are 0.5 everywhere (the values do not change the work), shaped as the model declares.
/// </summary>
public static class InferenceTiming
{
    public static double SecondsPerBatch(Model model, int batch, double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        var inputs = model.InputShapes.Select(s => Tensor.Full(0.5f, [batch, .. s.ToArray()])).ToArray();
        var plan = new InferencePlan(model);
        double Time(int calls)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) plan.Run(inputs, _ => { });
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        int callsPerTiming = 1;
        while (Time(callsPerTiming) < seconds / 5) callsPerTiming *= 2;
        var timings = Enumerable.Range(0, 5).Select(_ => Time(callsPerTiming) / callsPerTiming).Order().ToArray();
        return timings[2];
    }
}
