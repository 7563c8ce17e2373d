using Sparta.Training.Callbacks;

namespace Sparta.Training;

public sealed partial class Trainer
{
    private Callback[] _callbacks = [];
    private IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? _resumedCallbackState;

    /// <summary>
    /// The state of the callbacks of the current (or last) <see cref="Fit"/> that keep one (early
    /// stopping's patience and best value, a best-only checkpoint's best), keyed by their
    /// <see cref="Callback.StateName"/> ("early_stopping", then "early_stopping#2" for a second one):
    /// what a checkpoint saves so a resumed run stops, and saves, where the uninterrupted run would.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> CallbackState =>
        Keyed(_callbacks).ToDictionary(k => k.Key, k => k.Callback.ExportState(), StringComparer.Ordinal);

    /// <summary>A checkpoint's <see cref="CallbackState"/>: the next <see cref="Fit"/>'s callbacks start from it, matched by key.</summary>
    internal void ResumeCallbackState(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> state) => _resumedCallbackState = state;

    /// <summary>Keeps this fit's callbacks, in calling order (checkpoints last, so they save what the others leave).</summary>
    private Callback[] Begin(IEnumerable<Callback>? callbacks)
    {
        _callbacks = (callbacks ?? []).OrderBy(c => c.RunsLast).ToArray();
        foreach (var callback in _callbacks) callback.OnTrainBegin(this);
        var resumed = _resumedCallbackState;
        _resumedCallbackState = null;
        if (resumed is not null)
            foreach (var (key, callback) in Keyed(_callbacks))
                if (resumed.TryGetValue(key, out var state)) callback.ImportState(state);
        return _callbacks;
    }

    private static IEnumerable<(string Key, Callback Callback)> Keyed(Callback[] callbacks)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var callback in callbacks)
        {
            if (callback.StateName is not { } name) continue;
            int count = seen[name] = seen.GetValueOrDefault(name) + 1;
            yield return (count == 1 ? name : $"{name}#{count}", callback);
        }
    }
}
