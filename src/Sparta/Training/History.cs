namespace Sparta.Training;

/// <summary>
/// Every logged value per epoch, as Keras' History: <c>history["val_loss"]</c> is the list of one
/// value per epoch, in epoch order. Keys: loss (with L1/L2 penalties), data_loss (without them,
/// when the model is regularized), each metric, the val_ versions, learning_rate, epoch_seconds.
/// </summary>
public sealed class History
{
    private readonly Dictionary<string, List<double>> _values = new(StringComparer.Ordinal);
    private readonly List<int> _epochs = [];

    /// <summary>The epoch numbers logged (1-based), in order.</summary>
    public IReadOnlyList<int> Epochs => _epochs;

    /// <summary>The keys in first-logged order.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    public IReadOnlyList<double> this[string key] => _values.TryGetValue(key, out var values) ? values
        : throw new KeyNotFoundException($"history: no key '{key}'; {Configuration.NameSuggestions.Hint(key, _values.Keys)}");

    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>The values of one epoch by key.</summary>
    public IReadOnlyDictionary<string, double> Epoch(int index) =>
        _values.ToDictionary(p => p.Key, p => p.Value[index], StringComparer.Ordinal);

    public void Add(int epoch, IReadOnlyDictionary<string, double> logs)
    {
        foreach (var (key, value) in logs)
        {
            if (!_values.TryGetValue(key, out var values))
            {
                // A key first seen later (a metric added on resume) is NaN for the earlier epochs.
                values = Enumerable.Repeat(double.NaN, _epochs.Count).ToList();
                _values[key] = values;
            }
            values.Add(value);
        }
        _epochs.Add(epoch);
        foreach (var values in _values.Values)
            if (values.Count < _epochs.Count) values.Add(double.NaN);
    }
}
