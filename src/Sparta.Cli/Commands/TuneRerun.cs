using System.Globalization;
using Sparta.Tuning;
using Sparta.Tuning.Output;
using Sparta.Tuning.TestFunctions;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>--rerun K</c>: evaluates trial K of a stored study again with its stored parameters and
/// seed, and prints the new value next to the stored one (they agree for a deterministic objective).
/// </summary>
public static class TuneRerun
{
    public static int Run(Study study, int number, TestFunction function, TextWriter output)
    {
        var trial = Find(study, number);
        // The stored seed is shown, though a test function does not draw from it.
        var x = Enumerable.Range(1, function.Dimension).Select(i => Convert.ToDouble(trial.Params[$"x{i}"], CultureInfo.InvariantCulture)).ToArray();
        Print(trial, Seed(study, trial), function.Evaluate(x), output);
        return 0;
    }

    /// <summary>The study's finished trial <paramref name="number"/>; anything else is a usage error naming the option.</summary>
    public static FrozenTrial Find(Study study, int number)
    {
        var trial = study.Trials.FirstOrDefault(t => t.Number == number)
            ?? throw new UsageException($"option --rerun: study '{study.Name}' has no trial {number} (it holds {study.Trials.Count})");
        if (trial.State != TrialState.Complete)
            throw new UsageException($"option --rerun: trial {number} of study '{study.Name}' is {trial.State.ToString().ToUpperInvariant()}, not COMPLETE");
        return trial;
    }

    /// <summary>The seed the trial ran with (<see cref="Study.SeedOf"/>).</summary>
    public static ulong Seed(Study study, FrozenTrial trial) => study.SeedOf(trial);

    public static void Print(FrozenTrial trial, ulong seed, double value, TextWriter output)
    {
        output.WriteLine($"rerun trial={trial.Number} seed={seed.ToString(CultureInfo.InvariantCulture)} params: {string.Join(" ", trial.Params.Select(p => $"{p.Key}={TrialLine.FormatValue(p.Value)}"))}");
        output.WriteLine($"value={TrialLine.FormatValue(value)} stored={TrialLine.FormatValue(trial.Value)}");
    }
}
