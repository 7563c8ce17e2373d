using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Sparta.Dashboard;

/// <summary>
/// What the trials table asks of a study's trials, as the query of <c>api/studies/NAME/trials</c>:
/// <c>sort</c> (<c>number</c>, <c>state</c>, <c>value</c> or <c>value:I</c> for objective I,
/// <c>param:NAME</c>, <c>last_step</c>, <c>duration</c>) and <c>descending</c>; <c>hide</c>, states left
/// out (comma-separated); <c>param</c> and <c>filter</c>, a parameter and what its value must be
/// ("a..b", "&gt;x", "&lt;=x", "=x", or text the value contains); <c>offset</c> and <c>limit</c>, the
/// page. The server sorts, filters and cuts the page, so a study of any size sends one page.
/// A value it cannot read is answered with 400 naming the key.
/// </summary>
internal sealed partial class TrialQuery
{
    private TrialQuery() { }

    public string Sort { get; private init; } = "number";
    public bool Descending { get; private init; }
    public IReadOnlySet<string> Hidden { get; private init; } = new HashSet<string>();
    public string? Param { get; private init; }
    public Func<object?, bool> Keep { get; private init; } = _ => true;

    /// <summary>What decides the rows kept and their order (all but the page): equal selections keep the same rows in the same order.</summary>
    public string Selection { get; private init; } = "";
    public int Offset { get; private init; }
    public int? Limit { get; private init; }

    /// <exception cref="FormatException">A key's value cannot be read; the message names the key.</exception>
    public static TrialQuery Parse(IQueryCollection query)
    {
        string sort = query.TryGetValue("sort", out var s) ? s.ToString() : "number";
        if (!IsSortKey(sort)) throw new FormatException($"query: sort: expected number, state, value, value:I, param:NAME, last_step or duration, got '{sort}'");
        string? param = query.TryGetValue("param", out var p) && p.ToString().Length > 0 ? p.ToString() : null;
        string filter = query.TryGetValue("filter", out var f) ? f.ToString() : "";
        bool descending = Flag(query, "descending");
        var hidden = query.TryGetValue("hide", out var h) ? h.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() : new HashSet<string>();
        return new TrialQuery
        {
            Sort = sort,
            Descending = descending,
            Hidden = hidden,
            Param = param,
            Selection = string.Join('\n', sort, descending, string.Join(',', hidden.Order(StringComparer.Ordinal)), param ?? "", param is null ? "" : filter.Trim()),
            Keep = param is null ? _ => true : Filter(filter),
            Offset = Count(query, "offset") ?? 0,
            Limit = Count(query, "limit"),
        };
    }

    private static bool IsSortKey(string key) =>
        key is "number" or "state" or "value" or "last_step" or "duration" || key.StartsWith("param:", StringComparison.Ordinal)
        || (key.StartsWith("value:", StringComparison.Ordinal) && int.TryParse(key.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out _));

    private static bool Flag(IQueryCollection query, string key) => query.TryGetValue(key, out var text) && text.ToString() switch
    {
        "true" or "1" => true,
        "false" or "0" or "" => false,
        var other => throw new FormatException($"query: {key}: expected true or false, got '{other}'"),
    };

    private static int? Count(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var text)) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
            : throw new FormatException($"query: {key}: expected a whole number of trials, got '{text}'");
    }

    [GeneratedRegex(@"^(\S+)\s*\.\.\s*(\S+)$")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^(<=|>=|<|>|=)\s*(\S+)$")]
    private static partial Regex BoundPattern();

    /// <summary>A parameter filter as typed: a range "a..b" (both ends kept), a bound "&gt;x" and the like, else text the value contains (any case).</summary>
    public static Func<object?, bool> Filter(string text)
    {
        text = text.Trim();
        if (text.Length == 0) return _ => true;
        if (RangePattern().Match(text) is { Success: true } range)
        {
            double low = FilterNumber(range.Groups[1].Value, text), high = FilterNumber(range.Groups[2].Value, text);
            return v => AsNumber(v) is double x && x >= low && x <= high;
        }
        if (BoundPattern().Match(text) is { Success: true } bound)
        {
            double limit = FilterNumber(bound.Groups[2].Value, text);
            Func<double, bool> test = bound.Groups[1].Value switch
            {
                "<" => x => x < limit,
                "<=" => x => x <= limit,
                ">" => x => x > limit,
                ">=" => x => x >= limit,
                _ => x => x == limit,
            };
            return v => AsNumber(v) is double x && test(x);
        }
        return v => v is not null && Text(v).Contains(text, StringComparison.OrdinalIgnoreCase);
    }

    private static double FilterNumber(string number, string filter) =>
        double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value
            : throw new FormatException($"query: filter: '{number}' in '{filter}' is not a number");

    /// <summary>A parameter's value as a number when it is one (an int or float parameter).</summary>
    public static double? AsNumber(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        _ => null,
    };

    public static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    /// <summary>The rows the query keeps (states not hidden, the parameter passing its filter), sorted; ties and missing cells as the table shows them.</summary>
    public IReadOnlyList<TrialJson.Row> Apply(IEnumerable<TrialJson.Row> rows)
    {
        // Each row's cell read once, not at each of the sort's comparisons.
        var kept = rows.Where(r => !Hidden.Contains(r.State) && (Param is null || Keep(r.Params.GetValueOrDefault(Param))))
            .Select(r => (Row: r, Cell: Cell(r))).ToArray();
        Array.Sort(kept, (a, b) => Compare(a.Cell, b.Cell) is var order && order != 0 ? order : a.Row.Number.CompareTo(b.Row.Number));
        return kept.Select(k => k.Row).ToArray();
    }

    /// <summary>Orders two cells: a missing one last whichever the direction, numbers by value, anything else by its text.</summary>
    private int Compare(object? a, object? b)
    {
        if (a is null || b is null) return (a is null).CompareTo(b is null);
        int order = AsNumber(a) is double x && AsNumber(b) is double y ? x.CompareTo(y) : string.CompareOrdinal(Text(a), Text(b));
        return Descending ? -order : order;
    }

    private object? Cell(TrialJson.Row row) => Sort switch
    {
        "number" => row.Number,
        "state" => row.State,
        "value" => Objective(row, 0),
        "last_step" => row.LastStep,
        "duration" => row.DurationSeconds,
        _ when Sort.StartsWith("param:", StringComparison.Ordinal) => row.Params.GetValueOrDefault(Sort[6..]),
        _ => Objective(row, int.Parse(Sort.AsSpan(6), CultureInfo.InvariantCulture)),
    };

    private static object? Objective(TrialJson.Row row, int index) => row.Values is { } v && index < v.Count ? v[index] : null;
}
