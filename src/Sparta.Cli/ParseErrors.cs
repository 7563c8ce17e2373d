using System.CommandLine;
using System.CommandLine.Parsing;
using Sparta.Configuration;

namespace Sparta.Cli;

/// <summary>
/// The lines printed for a command line that does not parse: each names the command, the option or
/// word and the value received, with "did you mean" for a misspelt command or option.
/// </summary>
public static class ParseErrors
{
    /// <summary>Whether the words did not parse (asking for help is never an error).</summary>
    public static bool Any(ParseResult parse) =>
        parse.Action is not { ClearsParseErrors: true } && (parse.Errors.Count > 0 || UnknownWords(parse).Any());

    /// <summary>
    /// The words no command or option took, and the option-like words an argument took (a
    /// misspelt option before the experiment file would otherwise be read as the file's name).
    /// </summary>
    private static IEnumerable<string> UnknownWords(ParseResult parse) => parse.CommandResult.Children
        .OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value)
        .Where(v => v.StartsWith("--", StringComparison.Ordinal) || (v.Length > 1 && v[0] == '-' && char.IsLetter(v[1])))
        .Concat(parse.UnmatchedTokens);

    /// <summary>The first problem, in one line: later ones usually follow from it (the value of a misspelt option is left over).</summary>
    public static string Line(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        string prefix = CommandLine.CommandPath(command);
        if (UnknownWords(parse).FirstOrDefault() is string unknown) return $"{prefix}: {Unknown(command, unknown)}";
        if (command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0 && parse.GetResult(a) is not { Tokens.Count: > 0 }) is { } missing)
            return $"{prefix}: expected {missing.Name} ({missing.Description}); see '{prefix} --help'";
        if (command.Action is null && command.Subcommands.Count > 0)
            return $"{prefix}: expected a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}; see '{prefix} --help'";
        return $"{prefix}: {parse.Errors[0].Message}";
    }

    private static string Unknown(Command command, string word)
    {
        if (word.StartsWith('-'))
        {
            string name = word.Split('=', 2)[0];
            return $"unknown option '{name}'; {Hint(name, OptionNames(command), $"see '{CommandLine.CommandPath(command)} --help'")}";
        }
        if (command.Subcommands.Count > 0 && command.Arguments.Count == 0)
        {
            var names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
            return $"unknown command '{word}'; {Hint(word, names, $"known: {string.Join(", ", names)}")}";
        }
        return $"unexpected argument '{word}'; see '{CommandLine.CommandPath(command)} --help'";
    }

    private static string Hint(string word, IReadOnlyList<string> valid, string otherwise)
    {
        var close = valid.Where(v => NameSuggestions.IsClose(word, v)).ToList();
        return close.Count == 0 ? otherwise : $"did you mean {string.Join(" or ", NameSuggestions.Closest(word, close).Select(c => $"'{c}'"))}?";
    }

    /// <summary>The command's options and those it inherits (--help), by every name they answer to.</summary>
    private static List<string> OptionNames(Command command)
    {
        var options = command.Options.ToList();
        foreach (var parent in Ancestors(command)) options.AddRange(parent.Options.Where(o => o.Recursive));
        return options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct().ToList();
    }

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var c = command.Parents.OfType<Command>().FirstOrDefault(); c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            yield return c;
    }
}
