using System.Globalization;
using Sparta.Tuning;

namespace Sparta.Dashboard;

/// <summary>
/// Fingerprints of a study's trials, one for each thing a view of them depends on, so the page asks
/// for a chart again only when what it draws changed, and the trials endpoint answers "not modified"
/// (its ETag) while nothing did. FNV-1a over the fields, in trial order: equal trials give equal
/// fingerprints in any process.
/// </summary>
internal sealed record TrialsVersion(string Finished, string Reported, string Complete, string All)
{
    public static TrialsVersion Of(IEnumerable<FrozenTrial> trials)
    {
        ulong finished = Start, reported = Start, complete = Start, all = Start;
        foreach (var trial in trials)
        {
            ulong values = Start;
            foreach (double v in trial.Values ?? []) values = Mix(values, BitConverter.DoubleToUInt64Bits(v));
            ulong state = (ulong)trial.State, number = (ulong)trial.Number, lastStep = (ulong)(trial.LastStep ?? -1);
            finished = Mix(Mix(Mix(finished, number), state), values);
            reported = Mix(Mix(Mix(reported, number), state), lastStep);
            if (trial.State == TrialState.Complete) complete = Mix(Mix(complete, number), values);
            all = Mix(Mix(Mix(Mix(all, number), state), values), lastStep);
            all = Mix(Mix(all, (ulong)trial.InternalParams.Count), BitConverter.DoubleToUInt64Bits(trial.Duration?.TotalSeconds ?? -1));
        }
        return new TrialsVersion(Hex(finished), Hex(reported), Hex(complete), Hex(all));
    }

    /// <summary>The fingerprint of what a study chart draws: the finished trials' values, the reports, or the complete trials.</summary>
    public string Of(string chart) => chart switch
    {
        "history" => Finished,
        "intermediate" => Reported,
        _ => Complete,
    };

    /// <summary>A fingerprint of a text (the query a page of trials answers).</summary>
    public static string OfText(string text)
    {
        ulong hash = Start;
        foreach (char c in text) hash = Mix(hash, c);
        return Hex(hash);
    }

    private const ulong Start = 14695981039346656037, Prime = 1099511628211;

    private static ulong Mix(ulong hash, ulong value)
    {
        for (int i = 0; i < 8; i++, value >>= 8) hash = (hash ^ (value & 0xff)) * Prime;
        return hash;
    }

    private static string Hex(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);
}
