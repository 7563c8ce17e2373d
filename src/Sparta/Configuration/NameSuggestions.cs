namespace Sparta.Configuration;

/// <summary>Finds the valid names closest to a misspelled one, for error messages.</summary>
public static class NameSuggestions
{
    /// <summary>
    /// The valid names within a small edit distance of <paramref name="name"/>, closest first; all
    /// valid names when none is close (so the message always shows what is accepted).
    /// </summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> valid, int count = 3)
    {
        var candidates = valid.Distinct().ToList();
        string lowered = name.ToLowerInvariant();
        var close = candidates
            .Select(v => (Name: v, Distance: EditDistance(lowered, v.ToLowerInvariant())))
            .Where(c => Near(c.Distance, lowered, c.Name))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Name)
            .ToList();
        return close.Count > 0 ? close : candidates.OrderBy(c => c, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether <paramref name="name"/> looks like a misspelling of <paramref name="valid"/>.</summary>
    public static bool IsClose(string name, string valid)
    {
        string lowered = name.ToLowerInvariant();
        return Near(EditDistance(lowered, valid.ToLowerInvariant()), lowered, valid);
    }

    private static bool Near(int distance, string lowered, string valid) =>
        distance <= Math.Max(2, valid.Length / 3) || valid.Contains(lowered, StringComparison.OrdinalIgnoreCase);

    /// <summary>"; closest valid names: a, b" for an error message.</summary>
    public static string Hint(string name, IEnumerable<string> valid) =>
        $"closest valid names: {string.Join(", ", Closest(name, valid))}";

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
