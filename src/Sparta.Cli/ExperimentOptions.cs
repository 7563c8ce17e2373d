using System.CommandLine;
using System.Globalization;
using Sparta.Experiments;

namespace Sparta.Cli;

/// <summary>
/// The experiment-file argument and the options that change the file: <c>--set</c>, <c>--epochs</c>
/// and, where the command asks for it, <c>--seed</c>. They apply before the file is checked.
/// </summary>
public sealed class ExperimentOptions
{
    public Option<KeyValuePair<string, string>[]> Set { get; } = CommonOptions.Set();
    public Option<int?>? Epochs { get; }
    public Option<int?>? Seed { get; }

    public ExperimentOptions(Command command, bool epochs = true, bool seed = false)
    {
        command.Add(Set);
        if (epochs) command.Add(Epochs = OptionFactory.OptionalInt("--epochs", "epochs to train (replaces the file's epochs)", 1, 1_000_000));
        if (seed) command.Add(Seed = CommonOptions.Seed("the run's seed (replaces the file's seed)"));
    }

    /// <summary>The options added to the command.</summary>
    public IEnumerable<Option> All => new Option?[] { Set, Epochs, Seed }.OfType<Option>();

    /// <summary>The experiment file with the command line's values in place, then checked.</summary>
    public Experiment Load(ParseResult parse, string path, IEnumerable<KeyValuePair<string, string>>? more = null) =>
        Experiment.Load(path, Overrides(parse).Concat(more ?? []));

    /// <summary>A built-in experiment's text with the command line's values (and <paramref name="more"/>) in place, then checked.</summary>
    public Experiment Parse(ParseResult parse, string text, string file, IEnumerable<KeyValuePair<string, string>> more) =>
        Experiment.Parse(text, file, overrides: Overrides(parse).Concat(more));

    private List<KeyValuePair<string, string>> Overrides(ParseResult parse)
    {
        var overrides = new List<KeyValuePair<string, string>>(parse.GetValue(Set) ?? []);
        if (Epochs is not null && parse.GetValue(Epochs) is int epochs) overrides.Add(new("epochs", epochs.ToString(CultureInfo.InvariantCulture)));
        if (Seed is not null && parse.GetValue(Seed) is int seed) overrides.Add(new("seed", seed.ToString(CultureInfo.InvariantCulture)));
        return overrides;
    }
}
