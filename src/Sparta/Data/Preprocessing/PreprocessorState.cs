namespace Sparta.Data.Preprocessing;

/// <summary>
/// How a preprocessing step is named in an experiment file: its registered name and its
/// parameters as text (<c>{name: standardize, scope: channel}</c>).
/// </summary>
public sealed record PreprocessorConfig(string Name, IReadOnlyDictionary<string, string>? Parameters = null);

/// <summary>
/// A fitted step as plain data, saved with a model: the config plus the fitted arrays (and text
/// lists, for category names). JSON-friendly: only strings, numbers and arrays.
/// </summary>
public sealed record PreprocessorState(
    string Name,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, double[]> Arrays,
    IReadOnlyDictionary<string, string[]>? Texts = null);
