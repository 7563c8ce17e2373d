namespace Sparta.Tuning.Distributions;

/// <summary>
/// A choice among values (null, bool, long, double or string, the types Optuna stores). The
/// internal value is the index of the choice.
/// </summary>
public sealed class CategoricalDistribution : Distribution
{
    public IReadOnlyList<object?> Choices { get; }

    public CategoricalDistribution(IEnumerable<object?> choices)
    {
        var list = choices.Select(Normalize).ToList();
        if (list.Count == 0) throw new ArgumentException("categorical distribution: choices must hold at least one value");
        Choices = list;
    }

    /// <summary>Integers widen to long and floats to double, so equal choices compare equal whatever the C# type given.</summary>
    private static object? Normalize(object? choice) => choice switch
    {
        null or bool or long or double or string => choice,
        int i => (long)i,
        short s => (long)s,
        float f => (double)f,
        decimal m => (double)m,
        _ => throw new ArgumentException($"categorical distribution: choice '{choice}' of type {choice.GetType().Name} is not null, bool, integer, float or string"),
    };

    public override object? ToExternal(double internalValue) => Choices[(int)internalValue];

    public override double ToInternal(object? externalValue)
    {
        var wanted = Normalize(externalValue);
        for (int i = 0; i < Choices.Count; i++)
            if (ChoiceEquals(Choices[i], wanted)) return i;
        throw new ArgumentException($"categorical distribution: '{externalValue}' is not one of [{string.Join(", ", Choices.Select(PythonJson.Scalar))}]");
    }

    public override bool Contains(double internalValue) => (int)internalValue >= 0 && (int)internalValue < Choices.Count;

    public override bool IsSingle => Choices.Count == 1;

    public override string ToJson() =>
        $"{{\"name\": \"CategoricalDistribution\", \"attributes\": {{\"choices\": [{string.Join(", ", Choices.Select(PythonJson.Scalar))}]}}}}";

    /// <summary>Python's equality as Optuna applies it: 1 == 1.0 == True, and NaN equals NaN.</summary>
    private static bool ChoiceEquals(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is string sa || b is string) return a is string s1 && b is string s2 && s1 == s2;
        double da = ToNumber(a), db = ToNumber(b);
        return da == db || (double.IsNaN(da) && double.IsNaN(db));
    }

    private static double ToNumber(object value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        double d => d,
        _ => double.NaN,
    };

    public override bool Equals(Distribution? other)
    {
        if (other is not CategoricalDistribution c || c.Choices.Count != Choices.Count) return false;
        for (int i = 0; i < Choices.Count; i++)
            if (!ChoiceEquals(Choices[i], c.Choices[i])) return false;
        return true;
    }

    public override int GetHashCode() => Choices.Count;

    public override string ToString() => ToJson();
}
