using Sparta.Data;
using Sparta.Experiments;
using Sparta.Losses;

namespace Sparta.Tests.Experiments;

/// <summary>
/// "Compute the statistics on the training data only": with <c>validation_split</c>, the preprocessing is
/// fitted on the training part alone, never on the rows held out to validate, in a run, a fold and a load.
/// </summary>
public class TrainingPartStatisticsTests
{
    private const string Centered = """
        seed: 3
        epochs: 1
        data: {dataset: breast_cancer, validation_split: 0.25, preprocessing: [center]}
        model: {layers: [{name: dense, units: 2}]}
        loss: sparse_categorical_crossentropy
        """;

    private static ExperimentSpec Spec(string yaml) => Experiment.Parse(yaml, "exp.yaml", Path.GetTempPath()).Spec();

    [Fact]
    public void TheRunFitsTheMeanOfTheTrainingPartFoundIndependently()
    {
        var result = new ExperimentRunner(Spec(Centered), Path.GetTempPath()).Run(TextWriter.Null, verbose: false, diagnose: false);
        var raw = DatasetRegistry.Load("breast_cancer");
        var rawRows = Rows(raw.Input("input").ToArray(), raw.Count);
        // center saves bias = -mean; the validation rows plus the mean are raw rows: find them among the raw data.
        var mean = result.Data.Preprocessing["input"].Save()[0].Arrays["bias"].Select(b => -b).ToArray();
        var validation = result.Data.Validation!;
        var held = Rows(validation.Input("input").ToArray(), validation.Count)
            .Select(row => Nearest(rawRows, row.Select((v, c) => v + mean[c]).ToArray())).ToHashSet();
        Assert.Equal(validation.Count, held.Count);
        Assert.Equal(raw.Count, result.Data.Train.Count + validation.Count);

        var trainingPart = Enumerable.Range(0, raw.Count).Where(r => !held.Contains(r)).Select(r => rawRows[r]).ToList();
        var expected = ColumnMeans(trainingPart);
        var everything = ColumnMeans(rawRows);
        for (int c = 0; c < expected.Length; c++)
            Assert.Equal(expected[c], mean[c], Math.Abs(expected[c]) * 1e-5 + 1e-6);
        // The test can tell the two apart: some column's mean over all rows is far from the training part's.
        Assert.Contains(Enumerable.Range(0, expected.Length), c => Math.Abs(everything[c] - expected[c]) > Math.Abs(expected[c]) * 1e-3);
    }

    [Fact]
    public void LoadingForTheDoctorAndTheFinderCentersTheTrainingPartAndHoldsTheValidationPartOut()
    {
        var spec = Spec(Centered);
        var data = ExperimentData.Load(spec.Data, LossRegistry.Create(spec.Loss), Path.GetTempPath(), spec.Seed);
        Assert.Equal(DatasetRegistry.Load("breast_cancer").Count, data.Train.Count + data.Validation!.Count);
        AssertCentered(data.Train);
        Assert.Contains(ColumnMeans(Rows(data.Validation.Input("input").ToArray(), data.Validation.Count)), m => Math.Abs(m) > 1e-2);
    }

    [Fact]
    public void AFoldFitsOnItsOwnTrainingPartLessItsValidationRows()
    {
        var spec = Spec(Centered);
        var all = DatasetRegistry.Load("breast_cancer");
        var foldTrain = all.Subset(Enumerable.Range(0, 400).ToArray());
        var foldHeld = all.Subset(Enumerable.Range(400, all.Count - 400).ToArray());
        var data = ExperimentData.Prepare(spec.Data, foldTrain, foldHeld, spec.Seed);
        Assert.Equal(400, data.Train.Count + data.Validation!.Count);
        Assert.Equal(all.Count - 400, data.Test!.Count);
        AssertCentered(data.Train);
    }

    private static void AssertCentered(Dataset data)
    {
        foreach (double m in ColumnMeans(Rows(data.Input("input").ToArray(), data.Count)))
            Assert.InRange(m, -1e-3, 1e-3);
    }

    private static List<double[]> Rows(float[] values, int count)
    {
        int width = values.Length / count;
        return Enumerable.Range(0, count).Select(r => values.Skip(r * width).Take(width).Select(v => (double)v).ToArray()).ToList();
    }

    private static double[] ColumnMeans(IReadOnlyList<double[]> rows) =>
        Enumerable.Range(0, rows[0].Length).Select(c => rows.Average(r => r[c])).ToArray();

    private static int Nearest(IReadOnlyList<double[]> rows, double[] row)
    {
        int best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int r = 0; r < rows.Count; r++)
        {
            double d = 0;
            for (int c = 0; c < row.Length; c++) d += Math.Abs(rows[r][c] - row[c]) / (Math.Abs(row[c]) + 1);
            if (d < bestDistance) (best, bestDistance) = (r, d);
        }
        return best;
    }
}
