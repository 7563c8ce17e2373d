namespace Sparta.Tuning.Storage.Relational;

/// <summary>
/// How Optuna's schema stores a double that may be infinite (or NaN, for intermediate values): the
/// number goes in a nullable float column and a type column says FINITE, INF_POS, INF_NEG or NAN,
/// because not every database stores infinities.
/// </summary>
internal static class OptunaFloat
{
    public static (double? Stored, string Type) Encode(double value) => value switch
    {
        double.PositiveInfinity => (null, "INF_POS"),
        double.NegativeInfinity => (null, "INF_NEG"),
        _ when double.IsNaN(value) => (null, "NAN"),
        _ => (value, "FINITE"),
    };

    public static double Decode(double? stored, string type) => type switch
    {
        "INF_POS" => double.PositiveInfinity,
        "INF_NEG" => double.NegativeInfinity,
        "NAN" => double.NaN,
        "FINITE" => stored ?? throw new FormatException("trial value: FINITE value stored as NULL"),
        _ => throw new FormatException($"trial value: unknown value type '{type}'"),
    };
}
