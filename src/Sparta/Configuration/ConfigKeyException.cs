namespace Sparta.Configuration;

/// <summary>
/// A component config with an unknown key or a bad value, keeping the key and the problem apart so
/// an experiment file can name the full key path (<c>optimizer.lr</c>) rather than the component.
/// </summary>
public sealed class ConfigKeyException(string message, string key, string problem, IReadOnlyCollection<string>? knownKeys = null)
    : ArgumentException(message)
{
    /// <summary>For an unknown key, the keys the component reads (to suggest the closest); else null.</summary>
    public IReadOnlyCollection<string>? KnownKeys { get; } = knownKeys;

    public string Key { get; } = key;

    /// <summary>What is wrong, e.g. "must be a number, got 'abc'" or "unknown key; closest valid names: ...".</summary>
    public string Problem { get; } = problem;
}
