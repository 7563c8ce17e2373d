using Sparta.Data.Loaders;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;
using static Sparta.Tests.Lifecycle.LifecycleFiles;

namespace Sparta.Tests.Lifecycle;

/// <summary>A model trained on CSV rows with text columns predicts from raw CSV rows: the categories travel in the model file.</summary>
public sealed class CategoricalCsvTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static readonly string Penguins = Path.Combine(RepositoryRoot.Path, "examples", "penguins-csv.yaml");
    private static readonly string PenguinsCsv = Path.Combine(RepositoryRoot.Path, "examples", "data", "penguins.csv");

    [Fact]
    public void PredictEncodesTheTextColumnsAsTrainingDid()
    {
        string run = _directory.File("run");
        var trained = Command("train", Penguins, "--out", run, "--quiet", "--epochs", "20");
        Assert.True(trained.Code == 0, trained.Error);

        string predictions = _directory.File("p.csv");
        var (code, _, error) = Command("predict", run, "--inputs", PenguinsCsv, "--out", predictions);
        Assert.True(code == 0, error);
        // The species (the target column, read and left out) in sorted order are the classes.
        var species = CsvReader.Read(PenguinsCsv, ["species", "island", "sex"]).ClassLabels("species").Labels;
        var rows = File.ReadAllLines(predictions)[1..];
        Assert.Equal(species.Length, rows.Length);
        double accuracy = rows.Where((row, r) => row.Split(',')[0] == species[r].ToString(System.Globalization.CultureInfo.InvariantCulture)).Count() / (double)rows.Length;
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
    }

    [Fact]
    public void AnUnknownCategoryNamesItsColumnRowAndValue()
    {
        string run = _directory.File("run");
        Assert.Equal(0, Command("train", Penguins, "--out", run, "--quiet", "--epochs", "1").Code);
        var lines = File.ReadAllLines(PenguinsCsv);
        int island = Array.IndexOf(lines[0].Split(','), "island");
        var fields = lines[5].Split(',');
        fields[island] = "Atlantis";
        lines[5] = string.Join(',', fields);
        string raw = _directory.File("raw.csv");
        File.WriteAllLines(raw, lines);

        string predictions = _directory.File("p.csv");
        var (code, _, error) = Command("predict", run, "--inputs", raw, "--out", predictions);
        Assert.Equal(1, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains($"{raw}: row 5, column 'island': category 'Atlantis' is not among the training data's (Biscoe, Dream, Torgersen)", error);
        Assert.False(File.Exists(predictions));
    }
}
