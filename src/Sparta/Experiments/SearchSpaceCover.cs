namespace Sparta.Experiments;

/// <summary>
/// Values that, resolved one set after another, reach every option of every choice and every
/// copy of every repeated layer, so an experiment file is checked whole when it is read: a typo
/// in the second optimizer block fails before the first trial, not in the trial that picks it.
/// The first set takes every parameter's first value; each further one picks one option (or
/// copy) and the options its conditions need, and first values elsewhere.
/// </summary>
internal static class SearchSpaceCover
{
    public static IEnumerable<(string? Picked, Func<SearchParameter, object?> Values)> Assignments(IReadOnlyList<SearchParameter> space)
    {
        yield return (null, p => p.First);
        var byName = space.ToDictionary(p => p.Path);
        var picks = space.Where(p => p.Kind == SearchKind.Choice)
            .SelectMany(p => p.Choices!.Skip(p.Condition is null ? 1 : 0).Select(option => (p.Path, Value: option, p.Condition)))
            .Concat(space.Select(p => p.Condition).OfType<SearchCondition>().Where(c => c.Copy is not null).Distinct()
                .Select(c => (Path: c.Parameter, Value: c.Satisfying, byName[c.Parameter].Condition)));
        foreach (var (path, value, condition) in picks)
        {
            var fixedValues = new Dictionary<string, object> { [path] = value };
            for (var c = condition; c is not null; c = byName[c.Parameter].Condition) fixedValues[c.Parameter] = c.Satisfying;
            yield return (FormattableString.Invariant($"{path} = {value}"), p => fixedValues.TryGetValue(p.Path, out var v) ? v : p.First);
        }
    }
}
