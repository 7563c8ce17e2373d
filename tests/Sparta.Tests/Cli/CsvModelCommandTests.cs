using System.Globalization;
using Google.Protobuf;
using Sparta.Data.Loaders;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;
using Proto = global::Onnx;

namespace Sparta.Tests.Cli;

/// <summary>
/// A model trained on a CSV file with a text target column (examples/penguins-csv.yaml: species by name) through
/// evaluate and export: new rows' targets given as the same kind of file, classes by name; the exported file's inputs printed.
/// </summary>
public sealed class CsvModelCommandTests : IDisposable
{
    private static readonly string Examples = Path.Combine(RepositoryRoot.Path, "examples");
    private readonly TempDirectory _directory = new();

    public CsvModelCommandTests()
    {
        Directory.CreateDirectory(_directory.File("data"));
        File.Copy(Path.Combine(Examples, "data", "penguins.csv"), _directory.File("data/penguins.csv"));
        string text = File.ReadAllText(Path.Combine(Examples, "penguins-csv.yaml")).Replace("epochs: 60", "epochs: 3", StringComparison.Ordinal);
        File.WriteAllText(_directory.File("penguins.yaml"), text);
        var (code, _, error) = Sparta("train", _directory.File("penguins.yaml"), "--out", _directory.File("run"), "--quiet");
        Assert.True(code == 0, error);
    }

    public void Dispose() => _directory.Dispose();

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    private string Csv => _directory.File("data/penguins.csv");

    [Fact]
    public void EvaluateReadsTextTargetsOfACsvFileAsTheTrainingClasses()
    {
        // The labels by an independent rule: the species names sorted, numbered 0, 1, 2.
        var species = CsvReader.Read(Csv, ["species", "island", "sex"])["species"].Categories!;
        var names = species.Distinct().Order(StringComparer.Ordinal).ToList();
        NpyFile.Write(_directory.File("labels.npy"), Tensor.FromArray(species.Select(s => (float)names.IndexOf(s)).ToArray(), species.Length));
        var (code, fromLabels, error) = Sparta("evaluate", _directory.File("run"), "--inputs", Csv, "--targets", _directory.File("labels.npy"));
        Assert.True(code == 0, error);
        (code, string fromCsv, error) = Sparta("evaluate", _directory.File("run"), "--inputs", Csv, "--targets", Csv);
        Assert.True(code == 0, error);
        Assert.StartsWith("result test_accuracy=", fromCsv);
        Assert.Equal(fromLabels, fromCsv);
    }

    [Fact]
    public void ATargetClassTrainingNeverSawIsOneLineNamingTheRowAndColumn()
    {
        var lines = File.ReadAllLines(Csv);
        lines[3] = lines[3].Replace("Adelie", "Emperor", StringComparison.Ordinal);
        string rows = _directory.File("rows.csv");
        File.WriteAllLines(rows, lines);
        var (code, _, error) = Sparta("evaluate", _directory.File("run"), "--inputs", Csv, "--targets", rows);
        Assert.NotEqual(0, code);
        Assert.Contains("row 3, column 'species'", error);
        Assert.Contains("class 'Emperor' is not among the training file's (Adelie, Chinstrap, Gentoo)", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void ExportPrintsTheColumnsTheOnnxFileTakes()
    {
        string onnx = _directory.File("penguins.onnx");
        var (code, output, error) = Sparta("export", _directory.File("run"), "--onnx", onnx);
        Assert.True(code == 0, error);
        var proto = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        var inputs = proto.Graph.Input.Select(i => i.Name).ToArray();
        Assert.Equal($"wrote {onnx}: model 'penguins', inputs {string.Join(", ", inputs)}, batch dynamic", output.Trim());
        var features = CsvReader.Header(Csv).Where(c => c != "species");
        Assert.Equal(features.Order(StringComparer.Ordinal), inputs.Order(StringComparer.Ordinal));
    }
}
