using Sparta.Experiments;
using Sparta.Tests.Data;

namespace Sparta.Tests.Experiments;

/// <summary>
/// Every zoo example learns on its real data: trained from its own file on a smaller budget (fewer
/// images, fewer epochs, so the suite stays short), each classifies Fashion-MNIST's test images
/// well above chance (0.10 for ten classes). The budgets and the file's seed fix the result; the
/// thresholds leave room for the rounding of other processors' kernels.
/// </summary>
public class ZooExampleLearningTests
{
    // Measured on an AMD EPYC with AVX2 (test accuracy of 500 images, chance giving 50 ± 7 of them):
    // LeNet-5 0.656, VGG-11 0.534, VGG-16 0.294, Inception v4 0.232. Inception v4 trains at an eighth of
    // its width (every block and branch, 1/64 of the multiply-adds) with a larger step than its file, and
    // VGG-11 with smaller batches, for the budget to leave chance. The ResNets train in batches of 16:
    // at 64 they took 14 and 28 steps, too few for batch normalization's running statistics (momentum
    // 0.99) to settle, so their test accuracy swung with a float's last digits (ResNet-34 0.108 to 0.434
    // between vector widths while its training accuracy stayed at 0.55-0.58). At 16, on an AMD EPYC
    // (Zen 4) at 512, 256 and 128 bits: ResNet-18 0.502-0.552, ResNet-34 0.612-0.678.
    public static TheoryData<string, string[], double> Budgets => new()
    {
        { "zoo-lenet5.yaml", ["epochs=1", "data.train_samples=2000", "data.test_samples=500"], 0.5 },
        { "zoo-resnet18.yaml", ["data.train_samples=1000", "data.test_samples=500", "batch_size=16"], 0.35 },
        { "zoo-resnet34.yaml", ["data.train_samples=2000", "data.test_samples=500", "batch_size=16"], 0.4 },
        { "zoo-vgg11.yaml", ["data.train_samples=2000", "data.test_samples=500", "batch_size=32"], 0.3 },
        { "zoo-vgg16.yaml", ["data.train_samples=2000", "data.test_samples=500", "batch_size=32"], 0.2 },
        { "zoo-inception-v4.yaml", ["model.width=0.125", "data.train_samples=1280", "data.test_samples=500", "optimizer.learning_rate=0.003", "epochs=3"], 0.18 },
    };

    [Fact]
    public void EveryZooExampleHasABudget()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "examples"), "zoo-*.yaml").Select(Path.GetFileName).Order();
        Assert.Equal(files, Budgets.Select(row => (string)row[0]).Order());
    }

    [Theory, MemberData(nameof(Budgets))]
    public void TheExampleBeatsChanceOnFashionMnist(string example, string[] overrides, double least)
    {
        using var dir = new TempDirectory();
        var experiment = Experiment.Load(Path.Combine(RepositoryRoot.Path, "examples", example));
        foreach (string setting in overrides)
            experiment = experiment.With(setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
        var result = new ExperimentRunner(experiment.Spec(), dir.Path).Run(TextWriter.Null, verbose: false, diagnose: false);
        double accuracy = result.TestScores["accuracy"];
        Console.WriteLine($"{example}: test accuracy {accuracy:F3}");
        Assert.True(accuracy > least, $"{example}: test accuracy {accuracy:F3}, not above {least}");
    }
}
