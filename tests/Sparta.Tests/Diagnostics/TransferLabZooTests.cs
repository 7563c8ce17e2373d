using Sparta.Configuration;
using Sparta.Data;
using Sparta.Diagnostics;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Diagnostics;

/// <summary>
/// The transfer lab on a zoo base, on a few hundred Fashion-MNIST images: each transfer's model is
/// compared with the trained base weight by weight, so a frozen layer that moved (or a trained one that
/// did not) fails here, batch normalization's moving statistics included.
/// </summary>
public class TransferLabZooTests
{
    private static readonly TransferLab.Settings Small = new(BaseEpochs: 1, Epochs: 1, LittleEpochs: 1, LittlePerClass: 2, MuchPerClass: 6,
        BasePerClass: 8, TestSamples: 50, BatchSize: 16);

    public static TheoryData<string> Bases => new() { "lenet5", "{name: resnet18, resize: 32}" };

    [Theory, MemberData(nameof(Bases))]
    public void FrozenLayersKeepEveryWeightBitForBitAndTrainedOnesMove(string spec)
    {
        var network = TransferLabBase.FromConfig(ComponentConfig.FromYaml(spec));
        var trained = new List<(TransferLab.Cell Cell, Model Model)>();
        var outcome = TransferLab.Run(DatasetRegistry.Load("fashion-mnist", "train"), DatasetRegistry.Load("fashion-mnist", "test"),
            Small with { Base = network }, trained: (cell, model) => trained.Add((cell, model)));

        Assert.Equal(TransferLab.Strategies.Count * 2, trained.Count);
        Assert.All(outcome.Cells, c => Assert.InRange(c.TestAccuracy, 0, 1));
        var baseWeights = outcome.Base.GetWeights();
        // Every transfer keeps the base but its classifier (its last layer) and adds a new one.
        var kept = outcome.Base.Layers.SkipLast(1).Select(l => l.Name).ToArray();
        var someFrozen = network.FrozenInSomeLayers(outcome.Base);
        Assert.NotEmpty(someFrozen);
        Assert.True(someFrozen.Count < kept.Length - 1, "'some layers' must train more than the new classifier");
        foreach (var (cell, model) in trained.Where(t => t.Cell.Strategy != "from scratch"))
        {
            Assert.Equal([.. kept, "new_output"], model.Layers.Select(l => l.Name));
            var after = model.GetWeights();
            string[] frozen = cell.Strategy switch { "head only" => kept, "some layers" => [.. someFrozen], _ => [] };
            foreach (string layer in kept.Where(l => baseWeights.Keys.Any(k => LayerOf(k) == l)))
            {
                var names = baseWeights.Keys.Where(k => LayerOf(k) == layer).ToArray();
                if (frozen.Contains(layer))
                    foreach (string name in names)
                        Assert.True(Same(baseWeights[name], after[name]), $"{spec}, {cell.Strategy}, {cell.Data}: frozen weight '{name}' moved");
                else
                    Assert.False(names.All(n => Same(baseWeights[n], after[n])), $"{spec}, {cell.Strategy}, {cell.Data}: trainable layer '{layer}' did not move");
            }
            var untrained = Model.FromConfig(model.GetConfig()).GetWeights();
            Assert.False(Same(untrained["new_output/kernel"], after["new_output/kernel"]), $"{spec}, {cell.Strategy}: the new classifier did not learn");
        }
        // The zoo's layers with weights on both sides of the cut: a base whose frozen part holds batch
        // normalization proves its moving statistics stay put too.
        if (network.Name == "resnet18")
        {
            Assert.Contains("layer3.1.bn2", someFrozen);
            Assert.DoesNotContain(someFrozen, l => l.StartsWith("layer4.", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void SomeLayersStartsAtEachZooClassifiersLastStage()
    {
        int[] small = [1, 32, 32];
        foreach (var (spec, first) in new[]
        {
            ("lenet5", "fc1"), ("resnet18", "layer4.0.conv1"), ("resnet34", "layer4.0.conv1"), ("vgg11", "features.16"),
            ("vgg16", "features.24"), ("{name: inception_v4, width: 0.0625, resize: 75}", "inception_c1.b0"),
        })
        {
            var network = TransferLabBase.FromConfig(ComponentConfig.FromYaml(spec));
            var model = network.Build(small, 3, "base", 0);
            var frozen = network.FrozenInSomeLayers(model);
            var layers = model.Layers.Select(l => l.Name).ToList();
            Assert.Equal(first, layers[frozen.Count]);
            Assert.Equal(layers.Take(frozen.Count), frozen);
            // The VGG stage starts after the fourth pool of five.
            if (spec.StartsWith("vgg", StringComparison.Ordinal))
                Assert.Equal(4, model.Layers.Take(frozen.Count).Count(l => l is Sparta.Layers.MaxPool2D));
        }
    }

    [Fact]
    public void TheDefaultBaseIsTheMlpAndBadBasesNameTheirKey()
    {
        Assert.Same(TransferLabBase.Mlp, TransferLabBase.FromConfig("mlp"));
        var mlp = TransferLabBase.Mlp.Build([1, 28, 28], 5, "base", 0);
        // Flatten and hidden_1 stay frozen; hidden_2 learns with the new classifier.
        Assert.Equal(mlp.Layers.Take(2).Select(l => l.Name), TransferLabBase.Mlp.FrozenInSomeLayers(mlp));
        Assert.Equal("hidden_1", mlp.Layers[1].Name);

        var classes = Assert.Throws<ConfigKeyException>(() => TransferLabBase.FromConfig(ComponentConfig.FromYaml("{name: lenet5, classes: 3}")));
        Assert.Equal("classes", classes.Key);
        Assert.Equal("include_top", Assert.Throws<ConfigKeyException>(() => TransferLabBase.FromConfig(ComponentConfig.FromYaml("{name: resnet18, include_top: false}"))).Key);
        var regression = Assert.Throws<ConfigKeyException>(() => TransferLabBase.FromConfig("bone_age"));
        Assert.Equal("name", regression.Key);
        Assert.Contains("lenet5", regression.Problem);
        Assert.Equal("width", Assert.Throws<ConfigKeyException>(() => TransferLabBase.FromConfig(ComponentConfig.FromYaml("{name: inception_v4, width: 9}"))).Key);
        Assert.Equal("resize", Assert.Throws<ConfigKeyException>(() => TransferLabBase.FromConfig(ComponentConfig.FromYaml("{name: mlp, resize: 32}"))).Key);
    }

    [Theory]
    [InlineData("{name: resnet18, clases: 3}", "clases", "resize")]
    [InlineData("{name: lenet5, include_tops: false}", "include_tops", "resize")]
    [InlineData("{name: inception_v4, widht: 0.5}", "widht", "width")]
    public void AMisspeltBaseKeyIsOfferedOnlyTheKeysTheLabAccepts(string spec, string key, string suggested)
    {
        var unknown = Assert.Throws<ConfigKeyException>(() => TransferLabBase.FromConfig(ComponentConfig.FromYaml(spec)));
        Assert.Equal(key, unknown.Key);
        Assert.Equal($"unknown key; closest valid names: {suggested}", unknown.Problem);
        Assert.DoesNotContain("classes", unknown.KnownKeys!);
        Assert.DoesNotContain("include_top", unknown.KnownKeys!);
    }

    private static string LayerOf(string weight) => weight[..weight.LastIndexOf('/')];

    private static bool Same(Tensor a, Tensor b) => a.Span.SequenceEqual(b.Span);
}
