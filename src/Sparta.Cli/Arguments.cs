using System.Globalization;

namespace Sparta.Cli;

/// <summary>
/// The options and positional words of one command line. Every option read is marked, so a
/// command can reject the ones it does not know with an error that names them.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positional { get; }

    private Arguments(List<string> positional) => Positional = positional;

    /// <summary>Splits <c>--name value</c>, <c>--name=value</c> and bare <c>--flag</c> words; the rest are positional.</summary>
    public static Arguments Parse(IEnumerable<string> words, IReadOnlySet<string> flagNames)
    {
        var positional = new List<string>();
        var parsed = new Arguments(positional);
        var list = words.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string word = list[i];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
            {
                positional.Add(word);
                continue;
            }
            string name = word[2..];
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            if (value is null && flagNames.Contains(name)) { parsed._flags.Add(name); continue; }
            if (value is null)
            {
                if (i + 1 >= list.Count) throw new UsageException($"option --{name} needs a value");
                value = list[++i];
            }
            if (!parsed._options.TryGetValue(name, out var values)) parsed._options[name] = values = new List<string>();
            values.Add(value);
        }
        return parsed;
    }

    public bool Flag(string name) { _read.Add(name); return _flags.Contains(name); }

    public string? String(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var v) ? v[^1] : null;
    }

    public IReadOnlyList<string> All(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var v) ? v : Array.Empty<string>();
    }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? text = String(name);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            throw new UsageException($"option --{name}: expected an integer in [{min}, {max}], got '{text}'");
        return value;
    }

    public double Double(string name, double fallback)
    {
        string? text = String(name);
        if (text is null) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new UsageException($"option --{name}: expected a number, got '{text}'");
        return value;
    }

    /// <summary>Fails on any option given but never read by the command, naming it.</summary>
    public void RejectUnknown(string command)
    {
        foreach (string name in _options.Keys.Concat(_flags))
            if (!_read.Contains(name))
                throw new UsageException($"{command}: unknown option --{name}");
    }
}

/// <summary>A mistake in how the command was called: printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
