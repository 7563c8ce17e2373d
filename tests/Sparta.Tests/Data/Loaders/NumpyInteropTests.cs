using Sparta.Data;
using Sparta.Data.Loaders;
using Sparta.Tensors;

namespace Sparta.Tests.Data.Loaders;

/// <summary>Files written and read by NumPy itself (python3-numpy, installed with python3-optuna by test.sh).</summary>
public class NumpyInteropTests
{
    [Fact]
    public void ReadsWhatNumpySavesAndRejectsFortranOrder()
    {
        using var dir = new TempDirectory();
        PythonScript.Run($$"""
            import numpy as np
            d = "{{dir.Path}}"
            for t in ["float32", "float64", "uint8", "int32", "int64"]:
                np.save(f"{d}/{t}.npy", (np.arange(24).reshape(2, 3, 4) * 3 % 17).astype(t))
            np.savez_compressed(f"{d}/set.npz", x=np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2), y=np.array([2, 0, 1]))
            np.save(f"{d}/fortran.npy", np.asfortranarray(np.ones((2, 3), np.float32)))
            np.save(f"{d}/big.npy", np.ones(3, ">f4"))
            """);
        var expected = Enumerable.Range(0, 24).Select(i => (float)(i * 3 % 17)).ToArray();

        foreach (string type in new[] { "float32", "float64", "uint8", "int32", "int64" })
        {
            var tensor = NpyFile.Read(dir.File(type + ".npy"));
            Assert.Equal([2, 3, 4], tensor.Shape.ToArray());
            Assert.Equal(expected, tensor.ToArray());
        }
        var arrays = NpzFile.Read(dir.File("set.npz"));
        Assert.Equal([-1f, -0.6f, -0.2f, 0.2f, 0.6f, 1f], arrays["x"].ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal([2f, 0f, 1f], arrays["y"].ToArray());
        Assert.Contains("Fortran", Assert.Throws<DataFileException>(() => NpyFile.Read(dir.File("fortran.npy"))).Message);
        Assert.Contains("'>f4'", Assert.Throws<DataFileException>(() => NpyFile.Read(dir.File("big.npy"))).Message);
    }

    [Fact]
    public void NumpyReadsWhatWeWrite()
    {
        using var dir = new TempDirectory();
        NpyFile.Write(dir.File("w.npy"), Tensor.FromArray([1.5f, -2, 3, 4, 5, 6.25f], 2, 3));
        NpzFile.Write(dir.File("w.npz"), new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray([7, 8, 9], 3) });

        string result = PythonScript.Run($"""
            import numpy as np
            x = np.load("{dir.File("w.npy")}")
            z = np.load("{dir.File("w.npz")}")
            print(x.dtype, x.shape, x.tolist(), z["a"].tolist())
            """);

        Assert.Equal("float32 (2, 3) [[1.5, -2.0, 3.0], [4.0, 5.0, 6.25]] [7.0, 8.0, 9.0]", result);
    }
}
