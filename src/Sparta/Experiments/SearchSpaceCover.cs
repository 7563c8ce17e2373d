namespace Sparta.Experiments;

/// <summary>
/// Values that, resolved one set after another, reach every option of every choice and every
/// copy of every repeated layer, so an experiment file is checked whole when it is read: a typo
/// in the second optimizer block fails before the first trial, not in the trial that picks it.
/// The first set takes every parameter's first value; the second every int at its highest (the
/// most copies of every repeated layer); each further one picks one option of a choice, and the
/// options and copies its conditions need, with first values elsewhere.
/// </summary>
internal static class SearchSpaceCover
{
    public static IEnumerable<(string? Picked, Func<SearchParameter, object?> Values)> Assignments(IReadOnlyList<SearchParameter> space)
    {
        yield return (null, p => p.First);
        if (space.Any(p => p.Kind == SearchKind.Int))
            yield return ("every int is at its highest value", p => p.Kind == SearchKind.Int ? (long)p.High : p.First);
        var byName = space.ToDictionary(p => p.Path);
        foreach (var choice in space.Where(p => p.Kind == SearchKind.Choice))
            foreach (var option in choice.Choices!.Skip(choice.Condition is null ? 1 : 0))
            {
                var fixedValues = new Dictionary<string, object> { [choice.Path] = option };
                for (var c = choice.Condition; c is not null; c = byName[c.Parameter].Condition) fixedValues[c.Parameter] = c.Satisfying;
                yield return (FormattableString.Invariant($"{choice.Path} = {option}"), p => fixedValues.TryGetValue(p.Path, out var v) ? v : p.First);
            }
    }
}
