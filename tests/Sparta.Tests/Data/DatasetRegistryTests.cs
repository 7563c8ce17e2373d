using Sparta.Data;
using Sparta.Tests.Data.Loaders;

namespace Sparta.Tests.Data;

public class DatasetRegistryTests
{
    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetRegistry.Load("imagenet"));
        Assert.Contains("'imagenet'", e.Message);
        Assert.Contains("fashion-mnist", e.Message);
    }

    [Fact]
    public void MissingDatasetNamesTheDebianPackage()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => DatasetRegistry.Locate("fashion-mnist", [dir.Path]));
        Assert.Contains("dataset-fashion-mnist", e.Message);
        Assert.Contains(dir.Path, e.Message);
    }

    [Fact]
    public void LoadsAnInstalledSetAsNchwImagesAndLabels()
    {
        using var dir = new TempDirectory();
        string set = Directory.CreateDirectory(Path.Combine(dir.Path, "fashion-mnist")).FullName;
        var pixels = Enumerable.Range(0, 3 * 28 * 28).Select(i => (byte)(i % 256)).ToArray();
        File.WriteAllBytes(Path.Combine(set, "train-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UInt8([3, 28, 28], pixels)));
        File.WriteAllBytes(Path.Combine(set, "train-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UInt8([3], [9, 0, 4])));

        var data = DatasetRegistry.Load("fashion-mnist", "train", [dir.Path]);

        Assert.Equal([3, 1, 28, 28], data.Input("image").Shape.ToArray());
        Assert.Equal([9, 0, 4], data.Labels!);
        Assert.Equal(pixels.Select(p => (float)p).ToArray(), data.Input("image").ToArray());
    }

    [Fact]
    public void LabelCountDisagreeingWithImagesFails()
    {
        using var dir = new TempDirectory();
        string set = Directory.CreateDirectory(Path.Combine(dir.Path, "fashion-mnist")).FullName;
        File.WriteAllBytes(Path.Combine(set, "train-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UInt8([2, 28, 28], new byte[2 * 784])));
        File.WriteAllBytes(Path.Combine(set, "train-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UInt8([3], [1, 2, 3])));

        var e = Assert.Throws<DataFileException>(() => DatasetRegistry.Load("fashion-mnist", "train", [dir.Path]));
        Assert.Contains("3 labels for 2 images", e.Message);
    }
}
