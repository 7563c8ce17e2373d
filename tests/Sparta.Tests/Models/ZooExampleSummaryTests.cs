using Sparta.Cli;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Models;

/// <summary>
/// <c>sparta summary</c> on every zoo example file, at 1000 classes, against the published parameter
/// counts. The examples read Fashion-MNIST's one-channel images where the references take three, so
/// the first convolution has 2·KH·KW·filters weights fewer; VGG-11 and VGG-16 at 32×32 end at 1×1 feature
/// maps, so their first dense layer takes 512 inputs where torchvision's adaptive pooling gives it 7·7·512.
/// The Inception v4 example trains the network at a quarter of its width; it is counted at full width.
/// </summary>
public class ZooExampleSummaryTests
{
    public static TheoryData<string, long> Examples => new()
    {
        // LeCun et al. (1998) as Keras users write it: 156 + 2,416 + 48,120 + 10,164 + 850 at 10 classes.
        { "zoo-lenet5.yaml", 61_706 + (1000 - 10) * (84 + 1) },
        { "zoo-resnet18.yaml", 11_689_512 - 2 * 7 * 7 * 64 },
        { "zoo-resnet34.yaml", 21_797_672 - 2 * 7 * 7 * 64 },
        { "zoo-vgg11.yaml", 132_863_336 - 2 * 3 * 3 * 64 - (7 * 7 * 512 - 512) * 4096 },
        { "zoo-vgg16.yaml", 138_357_544 - 2 * 3 * 3 * 64 - (7 * 7 * 512 - 512) * 4096 },
        { "zoo-inception-v4.yaml", 42_679_816 - 2 * 3 * 3 * 32 },
    };

    [Fact]
    public void EveryZooExampleHasACase()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "examples"), "zoo-*.yaml").Select(Path.GetFileName).Order();
        Assert.Equal(files, Examples.Select(row => (string)row[0]).Order());
    }

    [Theory, MemberData(nameof(Examples))]
    public void SummaryPrintsThePublishedTrainableCount(string example, long trainable)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        string[] fullWidth = example == "zoo-inception-v4.yaml" ? ["--set", "model.width=1"] : [];
        int code = CommandLine.Run(["summary", Path.Combine(RepositoryRoot.Path, "examples", example), "--set", "model.classes=1000", .. fullWidth], output, error);
        Assert.True(code == 0, error.ToString());
        string last = output.ToString().TrimEnd().Split('\n')[^1];
        Assert.Matches($@"^params total=\d+ trainable={trainable} frozen=\d+$", last);
    }
}
