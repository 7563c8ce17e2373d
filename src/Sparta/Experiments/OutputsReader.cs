using Sparta.Configuration;
using Sparta.Losses;
using Sparta.Metrics;

namespace Sparta.Experiments;

/// <summary>
/// The objective of a model with several outputs (<c>model.outputs: [a, b]</c>), as Keras compiles one:
/// <c>loss</c> one loss for all or a mapping of output name → loss, <c>loss_weights</c> a mapping or a
/// list in the outputs' order (default 1 each), <c>metrics</c> a list for every output or a mapping of
/// output name → metric or list; and the data must give a target per output. Each key naming an output
/// that the model does not have fails in one line naming the key and the name.
/// </summary>
internal sealed class OutputsReader(ExperimentReader reader, string file)
{
    public IReadOnlyList<OutputSpec> Read(IReadOnlyList<string> names, YamlTree loss, YamlTree? weights, YamlTree? metrics, DataSpec data)
    {
        CheckTargets(names, data);
        var losses = PerOutput(loss, "loss", names, required: true, (node, path) => reader.Component(node ?? throw new ExperimentException(file, path, "is empty: name a loss"), path, LossRegistry.Registry));
        var weightOf = Weights(weights, names);
        var metricsOf = metrics is { IsMapping: true }
            ? PerOutput(metrics, "metrics", names, required: false, MetricList)
            : names.ToDictionary(n => n, _ => MetricList(metrics, "metrics"));
        return names.Select(n => new OutputSpec(n, losses[n], weightOf[n], metricsOf.GetValueOrDefault(n, []))).ToArray();
    }

    /// <summary>A component for every output (<c>loss: mse</c>), or a mapping of output name → value; a component is a mapping only with a <c>name</c>.</summary>
    private Dictionary<string, T> PerOutput<T>(YamlTree node, string key, IReadOnlyList<string> names, bool required, Func<YamlTree?, string, T> read)
    {
        if (!node.IsMapping || node["name"] is not null) return names.ToDictionary(n => n, _ => read(node, key), StringComparer.Ordinal);
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (name, value) in node.Entries!)
            result[KnownOutput(name, key, names)] = read(value, $"{key}.{name}");
        if (required && names.FirstOrDefault(n => !result.ContainsKey(n)) is { } missing)
            throw new ExperimentException(file, key, $"gives no {key} for output '{missing}' (model.outputs: {string.Join(", ", names)})");
        return result;
    }

    private List<ComponentConfig> MetricList(YamlTree? node, string path) => node is { IsSequence: true }
        ? reader.List(node, path).Select((m, i) => reader.Component(m, $"{path}.{i}", MetricRegistry.Registry)).ToList()
        : node is null ? [] : [reader.Component(node, path, MetricRegistry.Registry)];

    /// <summary><c>loss_weights: {a: 1, b: 0.5}</c> (an output left out weighs 1) or <c>[1, 0.5]</c> in the outputs' order.</summary>
    private Dictionary<string, double> Weights(YamlTree? node, IReadOnlyList<string> names)
    {
        var result = names.ToDictionary(n => n, _ => 1.0, StringComparer.Ordinal);
        if (node is null) return result;
        if (node.IsSequence)
        {
            if (node.Items!.Count != names.Count)
                throw new ExperimentException(file, "loss_weights", $"lists {node.Items.Count} weights for {names.Count} outputs ({string.Join(", ", names)})");
            for (int k = 0; k < names.Count; k++) result[names[k]] = Weight(node.Items[k], $"loss_weights.{k}");
        }
        else if (node.IsMapping)
            foreach (var (name, value) in node.Entries!) result[KnownOutput(name, "loss_weights", names)] = Weight(value, $"loss_weights.{name}");
        else throw new ExperimentException(file, "loss_weights", $"must map output names to weights or list one weight per output, got {Scalars.Show(node)}");
        return result;
    }

    private double Weight(YamlTree node, string path)
    {
        double weight = Scalars.Number(node, file, path);
        return weight >= 0 && double.IsFinite(weight) ? weight
            : throw new ExperimentException(file, path, $"must be a finite number ≥ 0, got {Scalars.Format(weight)}");
    }

    private string KnownOutput(string name, string key, IReadOnlyList<string> names) => names.Contains(name) ? name
        : throw new ExperimentException(file, $"{key}.{name}", $"'{name}' is not an output of the model (model.outputs: {string.Join(", ", names)}); {Suggest.Names(name, names.ToList())}");

    /// <summary>The data names a target for each output, by <c>data.target_column</c> or the <c>targets</c> of <c>data.train</c> and <c>data.test</c>.</summary>
    private void CheckTargets(IReadOnlyList<string> names, DataSpec data)
    {
        var sources = new List<(string Key, IReadOnlyList<string>? Outputs)>
        {
            ("data.target_column", data.TargetColumns?.Select(c => c.Output).ToArray()),
            ("data.train.targets", data.Train?.OutputTargets?.Select(t => t.Output).ToArray()),
            ("data.test.targets", data.Test?.OutputTargets?.Select(t => t.Output).ToArray()),
            ("data.targets", data.DatasetTargets?.Select(t => t.Output).ToArray()),
        };
        if (sources.All(s => s.Outputs is null))
            throw new ExperimentException(file, "data", $"model.outputs gives {names.Count} outputs ({string.Join(", ", names)}), each needs its targets: data.target_column or data.train.targets as a mapping of output name → column or file, or, with a registered dataset, data.targets as a mapping of output name → '{DataSpec.SetTarget}' or an input");
        foreach (var (key, outputs) in sources)
        {
            if (outputs is null) continue;
            foreach (string output in outputs) KnownOutput(output, key, names);
            if (names.FirstOrDefault(n => !outputs.Contains(n)) is { } missing)
                throw new ExperimentException(file, key, $"gives no targets for output '{missing}' (model.outputs: {string.Join(", ", names)})");
        }
    }
}
