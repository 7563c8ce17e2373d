using Sparta.Layers;

namespace Sparta.Models;

public partial class Model
{
    /// <summary>
    /// The base of a transfer: new inputs with this model's names and shapes, and the output of
    /// layer <paramref name="cutAfter"/> on them (by default what the last layer reads: all but the
    /// last layer). The graph is made of this model's own layers, so a model built on it shares their
    /// weights; the layers after the cut are left out.
    /// </summary>
    public (IReadOnlyList<SymbolicTensor> Inputs, SymbolicTensor Output) Cut(string? cutAfter = null)
    {
        int cutSlot = CutSlot(cutAfter);
        var inputs = _graph.InputNames.Select((n, i) => Input(_graph.Shapes[i], n)).ToArray();
        var slots = new SymbolicTensor[_graph.Shapes.Count];
        inputs.CopyTo(slots, 0);
        // Steps run in slot order, so every step up to the cut's is replayed and nothing after it.
        foreach (var step in _graph.Steps.TakeWhile(s => s.Output <= cutSlot))
            slots[step.Output] = step.Layer.Call(step.Inputs.Select(i => slots[i]).ToArray());
        return (inputs, slots[cutSlot]);
    }

    /// <summary>
    /// A new model: this model's layers up to <paramref name="cutAfter"/> (see <see cref="Cut"/>), then
    /// <paramref name="head"/> chained on them. <paramref name="freezeAll"/> freezes (true) or unfreezes
    /// (false) every kept layer, <paramref name="freezeLayers"/> freezes exactly the kept layers it names;
    /// with neither each kept layer stays as it is. The head's layers are trainable.
    /// </summary>
    public Model Transfer(string? cutAfter, IEnumerable<Layer> head, string name, ulong seed, bool? freezeAll = null, IReadOnlyCollection<string>? freezeLayers = null)
    {
        if (freezeAll is not null && freezeLayers is not null)
            throw new ArgumentException($"model '{Name}': freeze every layer or a list of them, not both");
        var (inputs, output) = Cut(cutAfter);
        var kept = LayersBehind(output);
        foreach (string frozen in freezeLayers ?? [])
        {
            var layer = GetLayer(frozen);
            if (!kept.Contains(layer)) throw new ArgumentException($"model '{Name}': layer '{frozen}' comes after the cut; only kept layers can be frozen (kept: {string.Join(", ", Layers.Where(kept.Contains).Select(l => l.Name))})");
        }
        foreach (var layer in kept)
            if (freezeAll is bool all) layer.Trainable = !all;
            else if (freezeLayers is not null) layer.Trainable = !freezeLayers.Contains(layer.Name);
        var x = output;
        foreach (var layer in head) x = layer.Call(x);
        if (x.IsInput) throw new ArgumentException($"model '{Name}': the cut keeps no layer and no head layer follows; the model would be empty");
        return new Model(inputs, x, name, seed);
    }

    /// <summary>Every layer <paramref name="output"/> is computed through.</summary>
    private static HashSet<Layer> LayersBehind(SymbolicTensor output)
    {
        var layers = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<SymbolicTensor>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<SymbolicTensor>([output]);
        while (pending.TryPop(out var tensor))
        {
            if (!seen.Add(tensor) || tensor.Layer is null) continue;
            layers.Add(tensor.Layer);
            foreach (var input in tensor.Inputs) pending.Push(input);
        }
        return layers;
    }

    private int CutSlot(string? cutAfter)
    {
        if (cutAfter is not null)
        {
            var layer = GetLayer(cutAfter);
            return _graph.Steps.First(s => s.Layer == layer).Output;
        }
        var last = _graph.Steps.Single(s => s.Output == _graph.OutputSlot);
        if (last.Inputs.Length != 1)
            throw new ArgumentException($"model '{Name}': its last layer '{last.Layer.Name}' reads {last.Inputs.Length} tensors; name the layer to cut after");
        return last.Inputs[0];
    }
}
