namespace Sparta.Tuning.Reports;

/// <summary>
/// Which trials a chart of one mark per trial (a line each) draws when the study has more than it
/// can lay out at once: the best fifth of the budget (what a reader looks for first), then the
/// others spread evenly through the study in trial order, so its course shows too.
/// </summary>
public static class TrialSample
{
    /// <param name="items">The trials' marks, in trial order.</param>
    /// <param name="value">The value that ranks a trial; null for one without a value (never among the best).</param>
    /// <returns>At most <paramref name="max"/> of the items, in their order; all of them when they fit.</returns>
    public static IReadOnlyList<T> Of<T>(IReadOnlyList<T> items, int max, Func<T, double?> value, StudyDirection direction)
    {
        if (max < 1) throw new ArgumentOutOfRangeException(nameof(max), max, "a sample keeps at least one trial");
        if (items.Count <= max) return items;
        int bestCount = max / 5;
        var valued = Enumerable.Range(0, items.Count).Where(i => value(items[i]) is double v && double.IsFinite(v)).ToArray();
        var ranked = direction == StudyDirection.Maximize
            ? valued.OrderByDescending(i => value(items[i])!.Value).ThenBy(i => i)
            : valued.OrderBy(i => value(items[i])!.Value).ThenBy(i => i);
        var kept = ranked.Take(bestCount).ToHashSet();
        var rest = Enumerable.Range(0, items.Count).Where(i => !kept.Contains(i)).ToArray();
        int spread = max - kept.Count;
        for (int k = 0; k < spread; k++) kept.Add(rest[(int)((long)k * rest.Length / spread)]);
        return kept.Order().Select(i => items[i]).ToArray();
    }

    /// <summary>What a chart drawing <paramref name="drawn"/> of <paramref name="total"/> trials says under its title.</summary>
    public static string Note(int drawn, int total, string what) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} of {drawn:N0} of {total:N0} trials: the {drawn / 5:N0} best and the others spread evenly over the study");
}
