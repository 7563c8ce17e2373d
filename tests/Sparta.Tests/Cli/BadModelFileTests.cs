using System.IO.Compression;
using Sparta.Cli;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Cli;

/// <summary>
/// Every command that takes a model file (evaluate, predict, summary, export), given one that is
/// missing, empty, random bytes, a zip of something else, a model cut short, or an ONNX file that is
/// not one: exit 1, one line naming the file, and nothing written where the output would go.
/// </summary>
public sealed class BadModelFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string command in new[] { "evaluate", "predict", "summary", "export" })
            foreach (string file in new[] { "missing.sparta", "empty.sparta", "random.sparta", "photos.sparta", "cut.sparta", "random.onnx", "empty.onnx" })
                cases.Add(command, file);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ABadModelFileIsOneLineNamingItAndWritesNothing(string command, string name)
    {
        string model = _directory.File(name);
        MakeBadModel(model);
        string output = _directory.File("out");
        string[] words = command switch
        {
            "predict" => ["predict", model, "--inputs", "fashion-mnist:test", "--out", output + ".csv"],
            "export" => ["export", model, "--onnx", output + ".onnx"],
            _ => [command, model],
        };
        var (code, _, stderr) = Run(words);

        string error = stderr.TrimEnd();
        Assert.True(code == 1, $"exit {code}: {error}");
        Assert.Single(error.Split('\n'));
        Assert.StartsWith($"sparta {command}: ", error);
        Assert.Contains(model, error);
        Assert.Empty(Directory.GetFiles(_directory.Path, "out*"));
    }

    private void MakeBadModel(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        var random = new Random(7);
        switch (name)
        {
            case "missing": return;
            case "empty": File.WriteAllBytes(path, []); return;
            case "random":
                var bytes = new byte[3000];
                random.NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
                return;
            case "photos":
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                using (var entry = zip.CreateEntry("holiday.jpg").Open()) entry.Write([0xFF, 0xD8, 0xFF, 0xE0]);
                return;
            case "cut":
                string run = _directory.File("run");
                var (code, _, error) = Run("train", ExperimentText.Write(_directory.Path), "--out", run, "--quiet", "--epochs", "1");
                Assert.True(code == 0, error);
                byte[] whole = File.ReadAllBytes(Path.Combine(run, "model.sparta"));
                File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
                return;
        }
    }

    private static (int Code, string Output, string Error) Run(params string[] words) => Lifecycle.LifecycleFiles.Command(words);
}
