using Sparta.Configuration;
using Sparta.Layers;
using Sparta.Models;

namespace Sparta.Diagnostics;

/// <summary>
/// The network <see cref="TransferLab"/> trains on the base classes and moves to the new ones: how to
/// build it for an input shape and a number of classes, and where "some layers" starts. Every transfer
/// replaces the network's last layer (its classifier) with a new one; "some layers" trains the layers
/// from <see cref="TunedFrom"/> on (the network's last stage) with the new classifier and keeps every
/// layer before it frozen, as Keras' fine-tuning guide unfreezes the top of a base model.
/// <code>
/// var settings = new TransferLab.Settings(Base: TransferLabBase.FromConfig(ComponentConfig.FromYaml("{name: resnet18, resize: 32}")));
/// </code>
/// </summary>
/// <param name="Name">The network's name: <c>mlp</c> or a zoo classifier's.</param>
/// <param name="Build">The network for an input shape (channels first, no batch axis) and a number of classes, with a name and a seed.</param>
/// <param name="TunedFrom">A layer name, or the prefix before a '.' of the names of a stage's layers (<c>layer4</c>): "some layers" trains the first layer it names and every layer after it.</param>
public sealed record TransferLabBase(string Name, Func<int[], int, string, ulong, Model> Build, string TunedFrom)
{
    /// <summary>
    /// The default: flatten, two hidden ReLU layers (hidden_1: 256 units, hidden_2: 128) and the output
    /// layer; "some layers" trains hidden_2.
    /// </summary>
    public static TransferLabBase Mlp { get; } = new("mlp", (inputShape, classes, name, seed) => new Sequential(inputShape,
        [new Flatten(), new Dense(256, "relu", "hidden_1"), new Dense(128, "relu", "hidden_2"), new Dense(classes, name: "output")], name, seed), "hidden_2");

    /// <summary>
    /// Where "some layers" starts in each zoo classifier: LeNet-5's dense layers (its convolutions stay
    /// frozen), ResNet's last stage (its blocks at 512 filters), VGG's last convolution block (after
    /// the fourth pool) and its classifier, Inception v4's three Inception-C blocks.
    /// </summary>
    /// <summary>The zoo options the lab sets itself, so a base config must not give them.</summary>
    private static readonly string[] LabSetKeys = ["classes", "include_top"];

    private static readonly Dictionary<string, string> ZooTunedFrom = new(StringComparer.Ordinal)
    {
        ["lenet5"] = "fc1",
        ["resnet18"] = "layer4",
        ["resnet34"] = "layer4",
        ["vgg11"] = "features.16",
        ["vgg16"] = "features.24",
        ["inception_v4"] = "inception_c1",
    };

    /// <summary>Every name <see cref="FromConfig"/> takes: mlp, then the zoo's classifiers.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mlp", .. ZooTunedFrom.Keys];

    /// <summary>
    /// The base a config names: <c>mlp</c>, or a zoo classifier with its experiment-file options
    /// (<c>{name: inception_v4, width: 0.25, resize: 75}</c>) but without <c>classes</c> and
    /// <c>include_top</c>, which the lab sets. A bad name, key or value fails here, before anything trains,
    /// as a <see cref="ConfigKeyException"/> naming the key.
    /// </summary>
    public static TransferLabBase FromConfig(ComponentConfig config)
    {
        if (config.Name == Mlp.Name)
        {
            if (config.Parameters.Count > 0) throw Rejected(config.Parameters.Keys.First(), "unknown key; the mlp base takes no options");
            return Mlp;
        }
        if (!ZooTunedFrom.TryGetValue(config.Name, out string? tunedFrom))
        {
            string problem = $"unknown base '{config.Name}'; {NameSuggestions.Hint(config.Name, Names)}";
            throw new ConfigKeyException($"transfer lab: {problem}", "name", problem);
        }
        foreach (string key in LabSetKeys)
            if (config.Parameters.ContainsKey(key)) throw Rejected(key, "set by the lab: the base classifies the first half of the classes, each transfer the rest");
        // Reading the options once names a wrong one now; the recipe builds nothing until it is called.
        try
        {
            ZooRegistry.Create(WithClasses(config, 2));
        }
        catch (ConfigKeyException unknown) when (unknown.KnownKeys is { } known)
        {
            // The zoo model reads classes and include_top too, but the lab refuses them: suggest only what it accepts.
            var accepted = known.Except(LabSetKeys).ToArray();
            string hint = NameSuggestions.Hint(unknown.Key, accepted);
            throw new ConfigKeyException($"transfer lab: base '{config.Name}': unknown key '{unknown.Key}'; {hint}", unknown.Key, $"unknown key; {hint}", accepted);
        }
        return new(config.Name, (inputShape, classes, name, seed) => ZooRegistry.Create(WithClasses(config, classes))(inputShape, name, seed), tunedFrom);
    }

    /// <summary>
    /// The layers of <paramref name="model"/> (this base, built) before <see cref="TunedFrom"/>: the
    /// ones "some layers" keeps frozen.
    /// </summary>
    public IReadOnlyList<string> FrozenInSomeLayers(Model model)
    {
        var names = model.Layers.Select(l => l.Name).ToList();
        int first = names.FindIndex(n => n == TunedFrom || n.StartsWith(TunedFrom + ".", StringComparison.Ordinal));
        if (first <= 0) throw new InvalidOperationException($"transfer lab: base '{Name}' has no layer '{TunedFrom}' after its first; its layers are {string.Join(", ", names)}");
        return names.GetRange(0, first);
    }

    private static ComponentConfig WithClasses(ComponentConfig config, int classes) =>
        new(config.Name, config.Parameters.Append(new KeyValuePair<string, object>("classes", (double)classes)));

    private static ConfigKeyException Rejected(string key, string problem) => new($"transfer lab: {key}: {problem}", key, problem);
}
