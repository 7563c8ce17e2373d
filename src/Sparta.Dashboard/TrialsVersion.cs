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
    public static TrialsVersion Of(IReadOnlyList<TrialJson.Row> rows)
    {
        ulong finished = Start, reported = Start, complete = Start, all = Start;
        foreach (var row in rows)
        {
            ulong values = Start;
            foreach (double v in row.Values ?? []) values = Mix(values, BitConverter.DoubleToUInt64Bits(v));
            ulong state = Start;
            foreach (char c in row.State) state = Mix(state, c);
            finished = Mix(Mix(Mix(finished, (ulong)row.Number), state), values);
            reported = Mix(Mix(Mix(reported, (ulong)row.Number), state), (ulong)(row.LastStep ?? -1));
            if (row.State == TrialState.Complete.ToOptunaName()) complete = Mix(Mix(complete, (ulong)row.Number), values);
            all = Mix(Mix(Mix(Mix(all, (ulong)row.Number), state), values), (ulong)(row.LastStep ?? -1));
            all = Mix(Mix(all, (ulong)row.Params.Count), BitConverter.DoubleToUInt64Bits(row.DurationSeconds ?? -1));
        }
        return new TrialsVersion(Hex(finished), Hex(reported), Hex(complete), Hex(all));
    }

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
