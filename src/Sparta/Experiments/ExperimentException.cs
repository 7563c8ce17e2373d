using System.Globalization;
using System.Text;

namespace Sparta.Experiments;

/// <summary>
/// A bad experiment file, in one line: <c>exp.yaml: optimizer.nmae: unknown key; did you mean 'name'?</c>
/// (the file, the key path, the problem with the value received).
/// </summary>
public sealed class ExperimentException : ArgumentException
{
    public ExperimentException(string file, string path, string problem, Exception? inner = null)
        : base($"{file}: {(path.Length == 0 ? "" : path + ": ")}{Printable(problem)}", inner)
    {
        File = file;
        KeyPath = path;
        Problem = Printable(problem);
    }

    public string File { get; }

    /// <summary>Dotted path of the key, sequence items by index: <c>model.layers.1.units</c>.</summary>
    public string KeyPath { get; }

    public string Problem { get; }

    private const int MaxProblemLength = 300;

    /// <summary>
    /// The problem as a terminal can show it: a binary file given as an experiment must not send
    /// raw bytes (escape sequences among them) to the user's terminal, nor a megabyte of them.
    /// </summary>
    private static string Printable(string problem)
    {
        var text = new StringBuilder(Math.Min(problem.Length, MaxProblemLength));
        foreach (char c in problem)
        {
            if (text.Length >= MaxProblemLength) return text.Append("...").ToString();
            var category = char.GetUnicodeCategory(c);
            bool shown = c != '\uFFFD' && category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
            if (shown) text.Append(c);
            else text.Append($"\\u{(int)c:x4}");
        }
        return text.ToString();
    }
}
