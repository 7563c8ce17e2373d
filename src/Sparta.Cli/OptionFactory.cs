using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Sparta.Cli;

/// <summary>
/// Typed options whose bad values are reported in one line naming the option and the value
/// received: <c>option --size: expected an integer in [1, 16384], got '0'</c>.
/// </summary>
public static class OptionFactory
{
    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], <paramref name="fallback"/> when not given.</summary>
    public static Option<int> Int(string name, string description, int fallback, int min = int.MinValue, int max = int.MaxValue) => new(name)
    {
        Description = description,
        Arity = LastWins,
        DefaultValueFactory = _ => fallback,
        CustomParser = result => ParseInt(result, min, max),
    };

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], null when not given (the default depends on other options).</summary>
    public static Option<int?> OptionalInt(string name, string description, int min = int.MinValue, int max = int.MaxValue) => new(name)
    {
        Description = description,
        Arity = LastWins,
        CustomParser = result => ParseInt(result, min, max),
    };

    /// <summary>A finite number, <paramref name="fallback"/> when not given.</summary>
    public static Option<double> Double(string name, string description, double fallback) => new(name)
    {
        Description = description,
        Arity = LastWins,
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            string text = Last(result);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
            result.AddError($"option {OptionName(result)}: expected a number, got '{text}'");
            return 0;
        },
    };

    /// <summary>A finite number, null when not given (the default depends on other options).</summary>
    public static Option<double?> OptionalDouble(string name, string description) => new(name)
    {
        Description = description,
        Arity = LastWins,
        CustomParser = result =>
        {
            string text = Last(result);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
            result.AddError($"option {OptionName(result)}: expected a number, got '{text}'");
            return null;
        },
    };

    /// <summary>One of <paramref name="choices"/>, <paramref name="fallback"/> when not given; completion offers them.</summary>
    public static Option<string> Choice(string name, string description, string fallback, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            Arity = LastWins,
            DefaultValueFactory = _ => fallback,
            HelpName = string.Join('|', choices),
            CustomParser = result =>
            {
                string text = Last(result);
                if (choices.Contains(text, StringComparer.Ordinal)) return text;
                result.AddError($"option {OptionName(result)}: expected {Alternatives(choices)}, got '{text}'");
                return fallback;
            },
        };
        option.CompletionSources.Add(choices);
        return option;
    }

    /// <summary>A required word that is one of <paramref name="choices"/>; completion offers them.</summary>
    public static Argument<string> ChoiceArgument(string name, string description, params string[] choices)
    {
        var argument = new Argument<string>(name)
        {
            Description = $"{description}: {Alternatives(choices)}",
            CustomParser = result =>
            {
                string text = Last(result);
                if (choices.Contains(text, StringComparer.Ordinal)) return text;
                result.AddError($"{name}: expected {Alternatives(choices)}, got '{text}'");
                return choices[0];
            },
        };
        argument.CompletionSources.Add(choices);
        return argument;
    }

    /// <summary>A text value, <paramref name="fallback"/> when not given.</summary>
    public static Option<string> Text(string name, string description, string fallback, string? helpName = null) => new(name)
    {
        Description = description,
        Arity = LastWins,
        DefaultValueFactory = _ => fallback,
        HelpName = helpName,
        CustomParser = Last,
    };

    /// <summary>A text value, null when not given.</summary>
    public static Option<string?> OptionalText(string name, string description, string? helpName = null) => new(name)
    {
        Description = description,
        Arity = LastWins,
        HelpName = helpName,
        CustomParser = Last,
    };

    /// <summary>A text option that may be given several times (<c>--targets a=x.npy --targets b=y.npy</c>), each value kept; none when not given.</summary>
    public static Option<string[]> Repeatable(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => [],
    };

    /// <summary>An option that takes no value.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>"a, b or c", for messages.</summary>
    public static string Alternatives(IReadOnlyList<string> choices) =>
        choices.Count == 1 ? choices[0] : string.Join(", ", choices.Take(choices.Count - 1)) + " or " + choices[^1];

    private static int ParseInt(ArgumentResult result, int min, int max)
    {
        string text = Last(result);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max) return value;
        result.AddError($"option {OptionName(result)}: expected an integer in [{min}, {max}], got '{text}'");
        return min;
    }

    /// <summary>
    /// A repeated option keeps its last value, as most command-line tools do (so a shell alias's
    /// option can be overridden); each occurrence still takes one word.
    /// </summary>
    private static readonly ArgumentArity LastWins = ArgumentArity.OneOrMore;

    private static string Last(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
