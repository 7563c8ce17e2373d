using Google.Protobuf;
using Sparta.Data.Loaders;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Onnx;

/// <summary>
/// A model trained on CSV rows with text columns (the penguins: island and sex) exported to ONNX takes
/// the CSV's columns (text through ai.onnx.ml's OneHotEncoder): ONNX Runtime gives Sparta's outputs,
/// the file imports back, and <c>sparta predict</c> reads a CSV file for it as for the original model.
/// </summary>
public sealed class OnnxTabularTests : IDisposable
{
    private static readonly string Penguins = Path.Combine(RepositoryRoot.Path, "examples", "data", "penguins.csv");
    private static readonly string[] Text = ["species", "island", "sex"];
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    /// <summary>A saved classifier of the penguins' species, with their CSV encoding and standardization fitted on the file; and its outputs for the file.</summary>
    private (string Path, Tensor Expected) SavedModel()
    {
        var table = CsvReader.Read(Penguins, Text);
        var tabular = TabularEncoder.Fit(table, "species");
        var features = tabular.Encode(table);
        var pipeline = new PreprocessingPipeline(PreprocessingPipeline.FromConfig([new PreprocessorConfig("standardize")]).Steps) { Tabular = tabular };
        pipeline.Fit(features);
        var input = Model.Input([tabular.FeatureCount], "penguin");
        var model = new Model(input, new Dense(3, "softmax").Call(new Dense(8, "tanh").Call(input)), "penguins", seed: 3);
        string path = _directory.File("penguins.sparta");
        ModelFile.Save(path, model, new Dictionary<string, PreprocessingPipeline> { ["penguin"] = pipeline });
        return (path, model.Forward(pipeline.Transform(features)));
    }

    /// <summary>ONNX Runtime on the file's columns: the numeric ones as floats, island and sex as strings.</summary>
    private static Tensor RunOnnxRuntime(string onnx, string csv)
    {
        var table = CsvReader.Read(csv, Text);
        var numeric = table.Columns.Where(c => !c.IsCategorical).ToDictionary(c => c.Name, c => c.Numbers!);
        var text = new[] { "island", "sex" }.ToDictionary(c => c, c => table[c].Categories!);
        return OnnxRuntimeOracle.RunColumns(onnx, numeric, text);
    }

    private string Export(string model)
    {
        string onnx = _directory.File("penguins.onnx");
        var (code, _, error) = Sparta("export", model, "--onnx", onnx);
        Assert.True(code == 0, error);
        return onnx;
    }

    [Fact]
    public void ExportedModelTakesTheCsvColumnsAndOnnxRuntimeAgrees()
    {
        var (path, expected) = SavedModel();
        string onnx = Export(path);
        OnnxChecker.AssertValid(onnx);
        OnnxRuntimeOracle.AssertClose(expected, RunOnnxRuntime(onnx, Penguins), "ONNX Runtime on the CSV columns");
    }

    [Fact]
    public void PredictReadsACsvFileForTheOnnxFileAsForTheOriginalModel()
    {
        var (path, expected) = SavedModel();
        string onnx = Export(path);
        foreach (string model in new[] { path, onnx })
        {
            string output = _directory.File(Path.GetFileName(model) + ".npy");
            var (code, _, error) = Sparta("predict", model, "--inputs", Penguins, "--out", output);
            Assert.True(code == 0, error);
            OnnxRuntimeOracle.AssertClose(expected, NpyFile.Read(output), $"sparta predict {Path.GetFileName(model)}");
        }
    }

    [Fact]
    public void ImportedFileExportsBackWithItsColumns()
    {
        var (path, expected) = SavedModel();
        string onnx = Export(path);
        var saved = ModelLoader.Load(onnx);
        Assert.Equal(["penguin"], saved.Model.InputNames);
        var tabular = saved.Preprocessing["penguin"].Tabular!;
        Assert.Equal(["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"], tabular.NumericColumns);
        Assert.Equal(["island", "sex"], tabular.Categorical.Select(c => c.Column));
        string again = _directory.File("again.onnx");
        var (code, _, error) = Sparta("export", onnx, "--onnx", again);
        Assert.True(code == 0, error);
        OnnxChecker.AssertValid(again);
        OnnxRuntimeOracle.AssertClose(expected, RunOnnxRuntime(again, Penguins), "ONNX Runtime on the re-exported file");
    }

    [Fact]
    public void AnUnseenCategoryFailsAsInSpartaPredict()
    {
        var (path, _) = SavedModel();
        string onnx = Export(path);
        string[] lines = File.ReadAllLines(Penguins);
        lines[5] = lines[5].Replace(",Torgersen,", ",Atlantis,", StringComparison.Ordinal);
        Assert.Contains("Atlantis", lines[5]);
        string unseen = _directory.File("unseen.csv");
        File.WriteAllLines(unseen, lines);
        foreach (string model in new[] { path, onnx })
        {
            string output = _directory.File("unseen.npy");
            var (code, _, error) = Sparta("predict", model, "--inputs", unseen, "--out", output);
            Assert.NotEqual(0, code);
            Assert.Contains("'Atlantis'", error);
            Assert.Contains("island", error);
            Assert.Single(error.Trim().Split('\n'));
            Assert.False(File.Exists(output));
        }
        Assert.ThrowsAny<Exception>(() => RunOnnxRuntime(onnx, unseen)); // ONNX Runtime refuses it too (OneHotEncoder zeros 0)
    }

    [Fact]
    public void AFileEncodingUnseenCategoriesAsZerosIsRefusedNamingTheNode()
    {
        var (path, _) = SavedModel();
        string onnx = Export(path);
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        var encoder = proto.Graph.Node.First(n => n.OpType == "OneHotEncoder");
        encoder.Attribute.First(a => a.Name == "zeros").I = 1;
        File.WriteAllBytes(onnx, proto.ToByteArray());
        var (code, _, error) = Sparta("summary", onnx);
        Assert.NotEqual(0, code);
        Assert.Contains("zeros 1", error);
        Assert.Contains(encoder.Name, error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
