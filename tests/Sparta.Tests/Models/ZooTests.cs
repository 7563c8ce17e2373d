using Sparta.Data.Loaders;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Models;

/// <summary>
/// The zoo's architectures against their references: parameter counts against the published
/// figures and against torchvision's own models counted by PyTorch, and the outputs of ResNet-18
/// and VGG-11 (features and classifier) against torchvision's, and of Inception v4 against its PyTorch port
/// (bench/peer_zoo.py), on the same weights, passed through .npy files.
/// </summary>
public class ZooTests
{
    /// <summary>torchvision 0.14's figures at 1000 classes (its model cards), and the TF-slim Inception v4 as timm ports it.</summary>
    public static TheoryData<string, long> PublishedCounts => new()
    {
        { "resnet18", 11_689_512 },
        { "resnet34", 21_797_672 },
        { "vgg11", 132_863_336 },
        { "vgg16", 138_357_544 },
        { "inception_v4", 42_679_816 },
    };

    private static Model Build(string architecture, int classes = 1000, int[]? inputShape = null) => architecture switch
    {
        "resnet18" => Zoo.ResNet18(inputShape, classes),
        "resnet34" => Zoo.ResNet34(inputShape, classes),
        "vgg11" => Zoo.Vgg11(inputShape, classes),
        "vgg16" => Zoo.Vgg16(inputShape, classes),
        "inception_v4" => Zoo.InceptionV4(inputShape, classes),
        _ => throw new ArgumentException(architecture),
    };

    [Theory, MemberData(nameof(PublishedCounts))]
    public void TrainableParametersEqualThePublishedCount(string architecture, long published)
    {
        Assert.Equal(published, Build(architecture).TrainableParameterCount);
    }

    [Fact]
    public void TorchvisionCountsTheSameParametersAndBatchNormStatisticsAtTenClasses()
    {
        string[] architectures = ["resnet18", "resnet34", "vgg11"];
        string counted = PythonScript.Run($$"""
            import torchvision
            for name in {{"[" + string.Join(", ", architectures.Select(a => $"'{a}'")) + "]"}}:
                m = getattr(torchvision.models, name)(num_classes=10)
                buffers = sum(b.numel() for n, b in m.named_buffers() if not n.endswith("num_batches_tracked"))
                print(sum(p.numel() for p in m.parameters()), buffers)
            """);
        var lines = counted.Split('\n');
        for (int i = 0; i < architectures.Length; i++)
        {
            var model = Build(architectures[i], 10);
            Assert.Equal(lines[i].Trim(), $"{model.TrainableParameterCount} {model.NonTrainableParameterCount}");
        }
    }

    [Fact]
    public void LeNet5HasTheClassicSixtyOneThousandSevenHundredAndSixParameters()
    {
        // conv 6×(5·5+1), conv 16×(6·5·5+1), dense 400·120+120, 120·84+84, 84·10+10 (LeCun et al. 1998, full C3).
        Assert.Equal(156 + 2_416 + 48_120 + 10_164 + 850, Zoo.LeNet5().TrainableParameterCount);
        Assert.Equal([16, 5, 5], Zoo.LeNet5(includeTop: false).OutputShape.ToArray());
    }

    [Fact]
    public void TheSlidesLeNetVariantJoinsItsPooledFeaturesWithTheSecondInput()
    {
        var single = Zoo.LeNetVariant([1, 64, 64]);
        var joined = Zoo.LeNetVariant([1, 64, 64], secondInput: "sex");
        long convolutions = (16 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 32 * 9 + 32) + (64 * 32 * 9 + 64) + (64 * 64 * 9 + 64);
        Assert.Equal(convolutions + (64 * 64 + 64) + (64 + 1), single.TrainableParameterCount);
        Assert.Equal(convolutions + (65 * 32 + 32) + (32 + 1), joined.TrainableParameterCount);
        Assert.Equal(["image", "sex"], joined.InputNames);
        Assert.Equal([64], Zoo.LeNetVariant([1, 64, 64], includeTop: false).OutputShape.ToArray());
        Assert.NotNull(single.GetLayer("ft_x_layer"));
    }

    [Fact]
    public void BoneAgeOnEitherBackboneReadsTheImageAndTheSex()
    {
        var lenet = Zoo.BoneAge(inputShape: [1, 32, 32]);
        Assert.Equal(Zoo.LeNetVariant([1, 32, 32], secondInput: "sex").TrainableParameterCount, lenet.TrainableParameterCount);
        var inception = Zoo.BoneAge("inception_v4", [1, 150, 150]);
        Assert.Equal(["image", "sex"], inception.InputNames);
        long stem = 3 * 9 + 3, head = (1536 + 1) * 32 + 32 + 33;
        long inceptionFeatures = 42_679_816 - (1536 * 1000 + 1000); // the published count without its classifier
        Assert.Equal(stem + inceptionFeatures + head, inception.TrainableParameterCount);
        var output = inception.Forward(new Dictionary<string, Tensor> { ["image"] = Tensor.Zeros(1, 1, 150, 150), ["sex"] = Tensor.Zeros(1, 1) });
        Assert.Equal([1, 1], output.Shape.ToArray());
    }

    [Fact]
    public void InceptionV4sWidthScalesEveryConvolutionAndNothingElse()
    {
        var full = Zoo.InceptionV4([1, 75, 75], 10);
        var thin = Zoo.InceptionV4([1, 75, 75], 10, width: 0.25);
        var fullConvs = full.Layers.OfType<Conv2D>().ToDictionary(c => c.Name, c => c.Filters);
        var thinConvs = thin.Layers.OfType<Conv2D>().ToDictionary(c => c.Name, c => c.Filters);
        Assert.Equal(149, fullConvs.Count);
        Assert.Equal(fullConvs.Keys.Order(), thinConvs.Keys.Order());
        foreach (var (name, filters) in fullConvs) Assert.True(thinConvs[name] * 4 == filters, $"{name}: {thinConvs[name]} filters at width 0.25, {filters} at 1");
        Assert.Equal(full.Layers.Select(l => l.GetType()), thin.Layers.Select(l => l.GetType()));
        Assert.Contains("width must be in (0, 4], got 0", Assert.Throws<ArgumentOutOfRangeException>(() => Zoo.InceptionV4(width: 0)).Message);
    }

    [Fact]
    public void TooSmallImagesAndBadOptionsFailNamingTheArchitectureAndTheValue()
    {
        Assert.Contains("zoo 'inception_v4': images must be at least 75×75, got 28×28", Assert.Throws<ArgumentException>(() => Zoo.InceptionV4([1, 28, 28])).Message);
        Assert.Contains("zoo 'vgg11': images must be at least 32×32", Assert.Throws<ArgumentException>(() => Zoo.Vgg11([1, 28, 28], 10)).Message);
        Assert.Contains("classes must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => Zoo.ResNet18(classes: 0)).Message);
        Assert.Contains("backbone must be one of lenet_variant, inception_v4, got 'vgg'", Assert.Throws<ArgumentException>(() => Zoo.BoneAge("vgg")).Message);
        Assert.Contains("input_shape must be [channels, height, width], got [28, 28]", Assert.Throws<ArgumentException>(() => Zoo.LeNet5([28, 28])).Message);
    }

    [Fact]
    public void ResizeLetsSmallImagesIntoABigArchitecture()
    {
        var model = Zoo.Vgg11([1, 28, 28], 10, resize: (32, 32));
        Assert.IsType<Resizing>(model.Layers[0]);
        Assert.Equal([2, 10], model.Forward(Tensor.Zeros(2, 1, 28, 28)).Shape.ToArray());
    }

    [Fact]
    public void ResNet18GivesTorchvisionsOutputsOnTheSameWeights()
    {
        var (model, input, expected) = PyTorchOnSharedWeights(() => Zoo.ResNet18([3, 64, 64], 10), "torchvision.models.resnet18(num_classes=10)", "m", [2, 3, 64, 64]);
        AssertClose(expected, model.Forward(input));
    }

    [Fact]
    public void ResNet34GivesTorchvisionsOutputsOnTheSameWeights()
    {
        var (model, input, expected) = PyTorchOnSharedWeights(() => Zoo.ResNet34([3, 32, 32], 10), "torchvision.models.resnet34(num_classes=10)", "m", [2, 3, 32, 32]);
        AssertClose(expected, model.Forward(input));
    }

    [Fact]
    public void Vgg16FeaturesGiveTorchvisionsOnTheSameWeights()
    {
        var (model, input, expected) = PyTorchOnSharedWeights(() => Zoo.Vgg16([3, 32, 32], includeTop: false), "torchvision.models.vgg16(num_classes=10)", "m.features", [2, 3, 32, 32]);
        AssertClose(expected, model.Forward(input));
    }

    [Fact]
    public void Vgg11FeaturesGiveTorchvisionsOnTheSameWeights()
    {
        var (model, input, expected) = PyTorchOnSharedWeights(() => Zoo.Vgg11([3, 32, 32], includeTop: false), "torchvision.models.vgg11(num_classes=10)", "m.features", [2, 3, 32, 32]);
        AssertClose(expected, model.Forward(input));
    }

    [Fact]
    public void Vgg11GivesTorchvisionsOutputsWithItsClassifierAt224()
    {
        // The classifier reads the last feature maps of a 224×224 image, 7×7, which torchvision's average pool
        // leaves as they are: the whole network, its 129M weights shared, on one image.
        var (model, input, expected) = PyTorchOnSharedWeights(() => Zoo.Vgg11([3, 224, 224], 10), "torchvision.models.vgg11(num_classes=10)", "m", [1, 3, 224, 224]);
        AssertClose(expected, model.Forward(input));
    }

    [Fact]
    public void InceptionV4GivesThePyTorchPortsOutputsOnTheSameWeights()
    {
        // At its smallest input every block runs (Inception-C on 1×1 maps), and each pool branch's
        // 1×1 convolution, run before its average here and after it in the port, must give the same values.
        string bench = Path.Combine(RepositoryRoot.Path, "bench");
        var (model, input, expected) = PyTorchOnSharedWeights(() => Zoo.InceptionV4([3, 75, 75], 10), "peer_zoo.inception_v4(10)", "m", [2, 3, 75, 75],
            $"import sys; sys.path.insert(0, \"{bench}\"); import peer_zoo", byOrder: true);
        AssertClose(expected, model.Forward(input));
    }

    /// <summary>
    /// Builds <paramref name="constructor"/> in PyTorch with random weights and batch-norm statistics,
    /// saves them under Sparta's names (a dense kernel transposed), then builds the model (after PyTorch
    /// has exited, so the two never hold VGG's weights at once), loads them into it, and returns it with
    /// a random input and what <paramref name="run"/> computes on it in inference mode. With <paramref name="byOrder"/> the names differ (a port, not torchvision),
    /// so the n-th convolution, batch norm and linear layer of each side are paired instead.
    /// </summary>
    private static (Model Model, Tensor Input, Tensor Output) PyTorchOnSharedWeights(Func<Model> build, string constructor, string run, int[] inputShape,
        string imports = "", bool byOrder = false)
    {
        using var dir = new TempDirectory();
        PythonScript.Run($$"""
            import numpy as np, torch, torchvision, zipfile
            {{imports}}
            torch.manual_seed(3)
            m = {{constructor}}
            weights = {}
            kinds = {torch.nn.Conv2d: "conv", torch.nn.BatchNorm2d: "bn", torch.nn.Linear: "linear"}
            seen = {}
            for name, module in m.named_modules():
                if {{(byOrder ? "True" : "False")}} and type(module) in kinds:
                    kind = kinds[type(module)]
                    seen[kind] = seen.get(kind, -1) + 1
                    name = kind + str(seen[kind])
                if isinstance(module, torch.nn.BatchNorm2d):
                    torch.nn.init.uniform_(module.weight, 0.5, 1.5); torch.nn.init.uniform_(module.bias, -0.2, 0.2)
                    module.running_mean.uniform_(-0.2, 0.2); module.running_var.uniform_(0.5, 1.5)
                    weights.update({name + "/gamma": module.weight, name + "/beta": module.bias,
                                    name + "/moving_mean": module.running_mean, name + "/moving_variance": module.running_var})
                elif isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
                    kernel = module.weight if isinstance(module, torch.nn.Conv2d) else module.weight.t()
                    weights[name + "/kernel"] = kernel
                    if module.bias is not None: weights[name + "/bias"] = module.bias
            # One array at a time, so a transposed copy of VGG's 100M-weight dense kernel is the only one alive.
            with zipfile.ZipFile("{{dir.File("weights.npz")}}", "w") as archive:
                for k, v in weights.items():
                    with archive.open(k + ".npy", "w") as entry:
                        np.lib.format.write_array(entry, v.detach().contiguous().numpy())
            m.eval()
            x = torch.randn({{string.Join(", ", inputShape)}})
            np.save("{{dir.File("input.npy")}}", x.numpy())
            with torch.no_grad():
                np.save("{{dir.File("output.npy")}}", {{run}}(x).numpy())
            """);
        var model = build();
        var all = NpzFile.Read(dir.File("weights.npz"));
        var names = byOrder ? PairedNames(model) : model.Layers.ToDictionary(l => l.Name, l => l.Name);
        // By name, without copying the model's weights (VGG's are half a gigabyte).
        var own = model.Parameters.Select(p => p.Name).Concat(model.State.Select(s => s.Name));
        model.SetWeights(own.ToDictionary(k => k, k => all[names[k[..k.IndexOf('/')]] + k[k.IndexOf('/')..]]));
        return (model, NpyFile.Read(dir.File("input.npy")), NpyFile.Read(dir.File("output.npy")));
    }

    /// <summary>Each convolution, batch norm and dense layer's name to "conv", "bn" or "linear" and its place among its kind.</summary>
    private static Dictionary<string, string> PairedNames(Model model)
    {
        var seen = new Dictionary<string, int>();
        var names = new Dictionary<string, string>();
        foreach (var layer in model.Layers)
        {
            string? kind = layer switch { Conv2D => "conv", BatchNormalization => "bn", Dense => "linear", _ => null };
            if (kind is null) continue;
            seen[kind] = seen.GetValueOrDefault(kind, -1) + 1;
            names[layer.Name] = kind + seen[kind];
        }
        return names;
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        float scale = expected.ToArray().Max(Math.Abs);
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4f * scale + 1e-5f, $"[{i}]: torchvision {e[i]}, Sparta {a[i]}");
    }
}
