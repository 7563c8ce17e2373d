using Sparta.Terminal;

namespace Sparta.Experiments;

/// <summary>
/// A bad experiment file, in one line: <c>exp.yaml: optimizer.nmae: unknown key; did you mean 'name'?</c>
/// (the file, the key path, the problem with the value received).
/// </summary>
public sealed class ExperimentException : ArgumentException
{
    public ExperimentException(string file, string path, string problem, Exception? inner = null)
        : base($"{file}: {(path.Length == 0 ? "" : path + ": ")}{PrintableText.Of(problem)}", inner)
    {
        File = file;
        KeyPath = path;
        Problem = PrintableText.Of(problem);
    }

    public string File { get; }

    /// <summary>Dotted path of the key, sequence items by index: <c>model.layers.1.units</c>.</summary>
    public string KeyPath { get; }

    public string Problem { get; }
}
