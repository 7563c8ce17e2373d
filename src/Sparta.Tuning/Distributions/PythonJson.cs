using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sparta.Tuning.Distributions;

/// <summary>
/// Writes JSON scalars exactly as Python's <c>json.dumps</c> does (float repr, ASCII escapes,
/// NaN/Infinity), so the text Sparta stores is the text Optuna would have stored.
/// </summary>
public static class PythonJson
{
    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, positional for exponents in [-4, 16), else <c>1e-05</c> style.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // .NET's "R" gives the shortest round-trip digits, as Python's repr does; only the layout differs.
        var (negative, digits, exponent) = Decompose(value.ToString("R", CultureInfo.InvariantCulture));
        var text = new StringBuilder();
        if (negative) text.Append('-');
        if (exponent >= -4 && exponent < 16)
        {
            if (exponent < 0)
                text.Append("0.").Append('0', -exponent - 1).Append(digits);
            else if (digits.Length <= exponent + 1)
                text.Append(digits).Append('0', exponent + 1 - digits.Length).Append(".0");
            else
                text.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }
        else
        {
            text.Append(digits[0]);
            if (digits.Length > 1) text.Append('.').Append(digits, 1, digits.Length - 1);
            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Sign, significant digits without trailing zeros, and decimal exponent of the first digit.</summary>
    private static (bool Negative, string Digits, int Exponent) Decompose(string number)
    {
        bool negative = number.StartsWith('-');
        if (negative) number = number[1..];
        int exponent = 0;
        int e = number.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(number[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            number = number[..e];
        }
        int dot = number.IndexOf('.');
        string intPart = dot >= 0 ? number[..dot] : number;
        string fracPart = dot >= 0 ? number[(dot + 1)..] : "";
        string all = intPart + fracPart;
        int leadingZeros = all.Length - all.TrimStart('0').Length;
        string digits = all.Trim('0');
        if (digits.Length == 0) digits = "0";
        exponent += intPart.Length - 1 - leadingZeros;
        return (negative, digits, exponent);
    }

    /// <summary>Python's <c>json.dumps</c> of a string with its default <c>ensure_ascii=True</c>.</summary>
    public static string String(string value)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>One JSON scalar as Python writes it: null, true/false, an integer, a float, or a string.</summary>
    public static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => Float(d),
        float f => Float(f),
        string s => String(s),
        _ => throw new ArgumentException($"JSON scalar: unsupported value '{value}' of type {value.GetType().Name}"),
    };

    /// <summary>Reads a JSON scalar keeping Python's distinction: integers become long, other numbers double.</summary>
    public static object? ReadScalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        // The casts matter: without them the conditional is typed double and integers come back as 3.0.
        JsonValueKind.Number => element.TryGetInt64(out long l) && !element.GetRawText().AsSpan().ContainsAny('.', 'e', 'E')
            ? (object)l : (object)element.GetDouble(),
        _ => throw new FormatException($"JSON: expected a scalar, got {element.GetRawText()}"),
    };
}
