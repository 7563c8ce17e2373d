using System.Text.Json;
using System.Text.Json.Nodes;
using Sparta.Configuration;
using Sparta.Layers;

namespace Sparta.Models;

public partial class Model
{
    /// <summary>
    /// The architecture as JSON: name, seed, inputs (name, shape), each layer once (instance name and
    /// its registered config) and the calls in run order. Types are registered names only.
    /// <code>{"name": "m", "seed": 0, "inputs": [{"name": "input", "shape": [784]}],
    ///  "layers": [{"name": "dense", "config": {"name": "dense", "units": 10, ...}}],
    ///  "calls": [{"layer": "dense", "inputs": ["input"]}], "output": "dense"}</code>
    /// A layer called more than once (shared weights) names its k-th output "layer:k". A model with
    /// several outputs lists them, <c>"outputs": ["class", "box"]</c>.
    /// </summary>
    public JsonObject GetConfig()
    {
        var outputs = _graph.SlotNames();
        var callArray = new JsonArray(_graph.Steps.Select(step => (JsonNode)new JsonObject
        {
            ["layer"] = step.Layer.Name,
            ["inputs"] = new JsonArray(step.Inputs.Select(i => (JsonNode)outputs[i]).ToArray()),
        }).ToArray());
        var config = new JsonObject
        {
            ["name"] = Name,
            ["seed"] = Seed,
            ["inputs"] = new JsonArray(_graph.InputNames.Select((n, i) => (JsonNode)new JsonObject
            {
                ["name"] = n,
                ["shape"] = new JsonArray(_graph.Shapes[i].ToArray().Select(d => (JsonNode)d).ToArray()),
            }).ToArray()),
            ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)new JsonObject
            {
                ["name"] = l.Name,
                ["config"] = JsonNode.Parse(l.GetConfig().ToJson()),
            }).ToArray()),
            ["calls"] = callArray,
        };
        // One output keeps the "output" key model files have always had; several are a list.
        if (_graph.OutputSlots.Count == 1) config["output"] = outputs[_graph.OutputSlot];
        else config["outputs"] = new JsonArray(_graph.OutputSlots.Select(o => (JsonNode)outputs[o]).ToArray());
        return config;
    }

    public string ToJson() => GetConfig().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public static Model FromJson(string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException e) { throw new FormatException($"model config: invalid JSON ({e.Message})"); }
        return FromConfig(node as JsonObject ?? throw new FormatException("model config: expected a JSON object"));
    }

    /// <summary>Recreates the architecture (with freshly initialized weights from the seed; load weights with <see cref="SetWeights"/>).</summary>
    public static Model FromConfig(JsonObject config)
    {
        string name = Read<string>(config, "name", "model config");
        ulong seed = Read<ulong>(config, "seed", "model config");
        var tensors = new Dictionary<string, SymbolicTensor>(StringComparer.Ordinal);
        var inputs = new List<SymbolicTensor>();
        foreach (var item in Array(config, "inputs"))
        {
            var input = item as JsonObject ?? throw new FormatException("model config: each of 'inputs' must be an object");
            string inputName = Read<string>(input, "name", "model config input");
            int[] shape = Array(input, "shape").Select(d => d?.GetValue<int>() ?? throw new FormatException($"model config: input '{inputName}' has a null dimension")).ToArray();
            var symbolic = Input(shape, inputName);
            inputs.Add(symbolic);
            tensors[inputName] = symbolic;
        }
        var layers = new Dictionary<string, Layer>(StringComparer.Ordinal);
        foreach (var item in Array(config, "layers"))
        {
            var entry = item as JsonObject ?? throw new FormatException("model config: each of 'layers' must be an object");
            string layerName = Read<string>(entry, "name", "model config layer");
            var layerConfig = ComponentConfig.FromJson(entry["config"]?.ToJsonString() ?? throw new FormatException($"model config: layer '{layerName}' has no 'config'"));
            var layer = LayerRegistry.Create(layerConfig);
            layer.AssignName(layerName);
            if (!layers.TryAdd(layerName, layer)) throw new FormatException($"model config: two layers are named '{layerName}'");
        }
        var calls = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in Array(config, "calls"))
        {
            var call = item as JsonObject ?? throw new FormatException("model config: each of 'calls' must be an object");
            string layerName = Read<string>(call, "layer", "model config call");
            if (!layers.TryGetValue(layerName, out var layer))
                throw new FormatException($"model config: call of unknown layer '{layerName}'; {NameSuggestions.Hint(layerName, layers.Keys)}");
            var callInputs = Array(call, "inputs").Select(i =>
            {
                string id = i?.GetValue<string>() ?? throw new FormatException($"model config: call of '{layerName}' has a null input");
                return tensors.TryGetValue(id, out var t) ? t : throw new FormatException($"model config: call of '{layerName}' reads '{id}', which no earlier call produces");
            }).ToArray();
            int k = calls.GetValueOrDefault(layerName);
            calls[layerName] = k + 1;
            tensors[k == 0 ? layerName : $"{layerName}:{k}"] = layer.Call(callInputs);
        }
        var outputNames = config.ContainsKey("outputs")
            ? Array(config, "outputs").Select(o => o?.GetValue<string>() ?? throw new FormatException("model config: 'outputs' holds a null")).ToArray()
            : [Read<string>(config, "output", "model config")];
        var outputTensors = outputNames.Select(output => tensors.TryGetValue(output, out var t) ? t
            : throw new FormatException($"model config: output '{output}' is not produced by any call")).ToArray();
        return new Model(inputs, outputTensors, name, seed);
    }

    private static T Read<T>(JsonObject node, string key, string where)
    {
        var value = node[key] ?? throw new FormatException($"{where}: missing key '{key}'");
        try { return value.GetValue<T>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new FormatException($"{where}: key '{key}' has the wrong type, got {value.ToJsonString()}");
        }
    }

    private static JsonArray Array(JsonObject node, string key) =>
        node[key] as JsonArray ?? throw new FormatException($"model config: '{key}' must be an array, got {node[key]?.ToJsonString() ?? "nothing"}");
}
