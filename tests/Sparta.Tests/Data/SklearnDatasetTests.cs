using Sparta.Data;
using Sparta.Data.Loaders;

namespace Sparta.Tests.Data;

/// <summary>The scikit-learn sets (Debian's python3-sklearn) read by the registry, against scikit-learn's own loaders.</summary>
public class SklearnDatasetTests
{
    [Fact]
    public void EachSetHoldsWhatScikitLearnLoads()
    {
        using var dir = new TempDirectory();
        PythonScript.Run($$"""
            import numpy as np
            from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
            d = "{{dir.Path}}"
            for name, (x, y) in [("breast_cancer", load_breast_cancer(return_X_y=True)),
                                 ("diabetes", load_diabetes(return_X_y=True, scaled=False)),
                                 ("digits", load_digits(return_X_y=True))]:
                np.save(f"{d}/{name}_x.npy", x.astype(np.float32))
                np.save(f"{d}/{name}_y.npy", y.astype(np.float32))
            """);
        foreach (string name in new[] { "breast_cancer", "diabetes", "digits" })
        {
            var data = DatasetRegistry.Load(name);
            var x = NpyFile.Read(dir.File(name + "_x.npy"));
            var y = NpyFile.Read(dir.File(name + "_y.npy"));
            Assert.Equal(x.Shape[0], data.Count);
            Assert.Equal(x.ToArray(), data.Inputs[0].Data.ToArray());
            Assert.Equal(y.ToArray(), data.Target.ToArray());
        }
        Assert.Equal([1797, 1, 8, 8], DatasetRegistry.Load("digits").Input(DatasetRegistry.InputName).Shape.ToArray());
        Assert.Equal(2, DatasetRegistry.Load("breast_cancer").ClassCount);
        Assert.Null(DatasetRegistry.Load("diabetes").Labels);
    }

    [Fact]
    public void ASetWithoutATestSplitSaysHowToMakeOne()
    {
        Assert.False(DatasetRegistry.HasSplit("digits", "test"));
        Assert.True(DatasetRegistry.HasSplit("fashion-mnist", "test"));
        var e = Assert.Throws<ArgumentException>(() => DatasetRegistry.Load("digits", "test"));
        Assert.Contains("data.test_split", e.Message);
    }

    [Fact]
    public void MissingSetNamesItsDebianPackage()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => DatasetRegistry.Locate("diabetes", [dir.Path]));
        Assert.Contains("apt-get install python3-sklearn", e.Message);
        Assert.Contains(Path.Combine(dir.Path, "sklearn"), e.Message);
    }

    [Fact]
    public void ARowOfTheWrongWidthNamesTheLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("rows.csv"), "1,2,3\n4,5\n");
        var e = Assert.Throws<DataFileException>(() => NumericRows.Read(dir.File("rows.csv"), 3));
        Assert.Contains("line 2: expected 3 values, got 2", e.Message);
    }
}
