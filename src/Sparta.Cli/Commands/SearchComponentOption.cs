using Sparta.Configuration;
using Sparta.Experiments;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>--sampler tpe</c> or <c>--sampler '{name: tpe, startup_trials: 20}'</c> (likewise <c>--pruner</c>):
/// a registered name, or a YAML mapping with a name and parameters as in an experiment file's
/// <c>search:</c> section, checked against its registry with the option named in the message.
/// </summary>
internal static class SearchComponentOption
{
    /// <summary>The option's component, or (null, default) when the option is not given.</summary>
    public static (ComponentConfig? Config, T? Component) Parse<T>(string option, string? text, Registry<T> registry)
    {
        if (text is null) return (null, default);
        ComponentConfig config;
        try { config = ComponentConfig.FromYaml(text, $"option {option}"); }
        catch (ExperimentException e) { throw new UsageException(e.Message); }
        var component = ConfigProblems.Create(registry, config, (key, problem, _) =>
            new UsageException($"option {option}: {(key is "" or "name" ? "" : key + ": ")}{problem}"));
        return (config, component);
    }

    /// <summary>What the option's help lists: every registered name.</summary>
    public static string Names<T>(Registry<T> registry) => string.Join(", ", registry.Names);
}
