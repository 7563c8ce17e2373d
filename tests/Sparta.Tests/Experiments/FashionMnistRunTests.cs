using System.Globalization;
using Sparta.Cli;

namespace Sparta.Tests.Experiments;

/// <summary>The MLP example on a slice of the real Fashion-MNIST (Debian's dataset-fashion-mnist).</summary>
public sealed class FashionMnistRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-fmnist-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void MlpExampleLearnsFromFiveThousandImages()
    {
        string example = Path.Combine(RepositoryRoot.Path, "examples", "fashion-mnist-mlp.yaml");
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["train", example, "--epochs", "1", "--quiet", "--out", Path.Combine(_directory, "run"),
            "--set", "data.train_samples=5000", "--set", "data.test_samples=1000"], output, error);
        Assert.True(code == 0, error.ToString());
        string last = output.ToString().TrimEnd().Split('\n')[^1];
        double accuracy = double.Parse(last.Split(' ').Single(f => f.StartsWith("test_accuracy=")).Split('=')[1], CultureInfo.InvariantCulture);
        Assert.True(accuracy > 0.7, $"one epoch over 5,000 images should reach well above chance (0.1): {last}");
    }
}
