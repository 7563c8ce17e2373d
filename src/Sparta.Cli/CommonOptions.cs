using System.CommandLine;

namespace Sparta.Cli;

/// <summary>
/// The options several commands take, described once: each command adds the ones that apply
/// to it (a new instance each, so a command's defaults are its own).
/// </summary>
public static class CommonOptions
{
    /// <summary><c>--threads T</c>: the threads the kernels use.</summary>
    public static Option<int> Threads(int fallback) =>
        OptionFactory.Int("--threads", "threads the kernels use (matrix products, convolutions)", fallback, 1, 1024);

    /// <summary><c>--threads T</c> defaulting to every core.</summary>
    public static Option<int> Threads() => Threads(Environment.ProcessorCount);

    /// <summary><c>--quiet</c>: no progress lines, only the results.</summary>
    public static Option<bool> Quiet() => OptionFactory.Flag("--quiet", "print no progress, only the result lines");

    /// <summary><c>--seed S</c>: null when not given, so an experiment file keeps its own seed.</summary>
    public static Option<int?> Seed(string description = "random seed (the same seed gives the same result for any thread count)") =>
        OptionFactory.OptionalInt("--seed", description, 0, int.MaxValue);

    /// <summary>
    /// <c>--set key.path=value</c>, repeatable: replaces a value of the experiment file before it is
    /// checked, so it can also fix a wrong value; the value is read as YAML.
    /// </summary>
    public static Option<KeyValuePair<string, string>[]> Set() => new("--set")
    {
        Description = "replace a value of the experiment file before it is checked, e.g. --set optimizer.learning_rate=0.01 (repeatable; the value is YAML)",
        HelpName = "key.path=value",
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => [],
        CustomParser = result => result.Tokens.Select(token =>
        {
            int eq = token.Value.IndexOf('=');
            if (eq > 0) return new KeyValuePair<string, string>(token.Value[..eq].Trim(), token.Value[(eq + 1)..].Trim());
            result.AddError($"option --set: expected key.path=value, got '{token.Value}'");
            return default;
        }).ToArray(),
    };
}
