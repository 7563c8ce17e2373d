using Sparta.Tensors;

namespace Sparta.Models;

public partial class Model
{
    /// <summary>A copy of every weight (parameters and state) by its name, e.g. "dense/kernel", "bn/moving_mean".</summary>
    public Dictionary<string, Tensor> GetWeights()
    {
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in NamedWeights()) weights[name] = tensor.Clone();
        return weights;
    }

    /// <summary>
    /// Copies values into the weights of the same names; every weight must be given, with its shape,
    /// and no unknown name (so a file for another architecture fails with the name at fault).
    /// </summary>
    public void SetWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        var own = NamedWeights().ToDictionary(w => w.Name, w => w.Value, StringComparer.Ordinal);
        foreach (string name in weights.Keys)
            if (!own.ContainsKey(name))
                throw new ArgumentException($"model '{Name}': unknown weight '{name}'; {Configuration.NameSuggestions.Hint(name, own.Keys)}");
        foreach (var (name, target) in own)
        {
            if (!weights.TryGetValue(name, out var source)) throw new ArgumentException($"model '{Name}': weight '{name}' is missing");
            if (source.Shape != target.Shape)
                throw new ArgumentException($"model '{Name}': weight '{name}' has shape {source.Shape}, expected {target.Shape}");
        }
        foreach (var (name, target) in own) weights[name].Span.CopyTo(target.Span);
    }

    private IEnumerable<(string Name, Tensor Value)> NamedWeights() =>
        Parameters.Select(p => (p.Name, p.Value)).Concat(State.Select(s => (s.Name, s.Value)));
}
