using System.Globalization;
using System.Text.Json;
using Sparta.Tensors;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Tests.Storage;
using Sparta.Tuning.TestFunctions;

namespace Sparta.Tuning.Tests.TestFunctions;

/// <summary>
/// bench/fmnist-surrogate.json, the Fashion-MNIST MLP task's model that samplers are compared on:
/// Sparta reads it as the builder wrote it, and it reproduces the task's trials, both the recorded
/// ones it was fitted to and training seeds repeated at four configurations it never saw.
/// </summary>
public class SurrogateObjectiveTests
{
    private static readonly string Bench = Path.Combine(PostgresTestServer.RepositoryRoot(), "bench");
    private static readonly SurrogateObjective Surrogate = SurrogateObjective.Load(Path.Combine(Bench, "fmnist-surrogate.json"));
    private const double Target = 0.83842; // Optuna 3.1's median best over its ten real studies (docs/benchmarks.md)

    private static JsonElement Model() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Bench, "fmnist-surrogate.json"))).RootElement;

    [Fact]
    public void Sparta_evaluates_the_file_as_the_python_builder_did()
    {
        foreach (var check in Model().GetProperty("checks").EnumerateArray())
        {
            double[] row = check.EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var (mean, sd) = Surrogate.MeanSd(row.AsSpan(0, 4));
            Assert.Equal(row[4], mean, 1e-9);
            Assert.Equal(row[5], sd, 1e-9);
        }
    }

    [Fact]
    public void Held_out_repeated_seeds_agree_with_the_mean_and_the_noise()
    {
        // Ten training seeds at each of four configurations (bench/fmnist-surrogate-repeats.csv), none in the fit.
        var rows = File.ReadLines(Path.Combine(Bench, "fmnist-surrogate-repeats.csv")).Where(l => !l.StartsWith('#')).Skip(1)
            .Select(l => l.Split(',')).GroupBy(f => f[0]).ToArray();
        Assert.Equal(4, rows.Length);
        foreach (var config in rows)
        {
            var f = config.First();
            // The file's columns are units, l2, dropout, lr; the surrogate's order is units, dropout, l2, lr.
            double[] values = new[] { f[1], f[3], f[2], f[4] }.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var accuracies = config.Select(r => double.Parse(r[6], CultureInfo.InvariantCulture)).ToArray();
            int n = accuracies.Length;
            double measuredMean = accuracies.Average();
            double measuredVariance = accuracies.Sum(a => (a - measuredMean) * (a - measuredMean)) / (n - 1);
            var (mean, sd) = Surrogate.MeanSd(Surrogate.ToUnit(values));
            // The mean within three standard errors of the seeds' mean.
            Assert.True(Math.Abs(mean - measuredMean) <= 3 * Math.Sqrt(measuredVariance / n), $"{config.Key}: surrogate mean {mean:F4}, measured {measuredMean:F4}");
            // (n - 1) s^2 / sd^2 is chi-square with 9 degrees of freedom when sd is the noise: inside its 1% two-sided interval.
            double chiSquare = (n - 1) * measuredVariance / (sd * sd);
            Assert.True(n == 10 && chiSquare is > 1.735 and < 23.59, $"{config.Key}: surrogate sd {sd:F4}, measured {Math.Sqrt(measuredVariance):F4} over {n} seeds");
        }
    }

    [Fact]
    public void Draws_at_the_recorded_trials_reach_the_target_as_often_as_the_trials_did()
    {
        // Both the share above Optuna's median best (what decides trials-to-target) and the spread of the recorded accuracies.
        var model = Model();
        var points = model.GetProperty("points").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var recorded = model.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var noise = new RandomGenerator(12);
        var drawn = new double[points.Length];
        double expectedReaching = 0;
        for (int i = 0; i < points.Length; i++)
        {
            var (mean, sd) = Surrogate.MeanSd(points[i]);
            drawn[i] = Math.Clamp(mean + sd * noise.Normal(), 0, 1);
            expectedReaching += 1 - Normal.Cdf((Target - mean) / sd);
        }
        double share = expectedReaching / points.Length, recordedShare = recorded.Count(v => v >= Target) / (double)points.Length;
        double standardError = Math.Sqrt(share * (1 - share) / points.Length);
        Assert.True(Math.Abs(share - recordedShare) <= 3 * standardError, $"share above the target: surrogate {share:F4}, recorded {recordedShare:F4}");
        foreach (double q in new[] { 0.1, 0.25, 0.5, 0.75, 0.9 })
            Assert.True(Math.Abs(Quantile(drawn, q) - Quantile(recorded, q)) <= 0.003, $"quantile {q}: surrogate {Quantile(drawn, q):F4}, recorded {Quantile(recorded, q):F4}");
    }

    [Fact]
    public void Tune_bench_runs_samplers_on_the_surrogate_and_prints_each_curve()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Sparta.Cli.CommandLine.Run(["tune-bench", "--objective", $"surrogate:{Path.Combine(Bench, "fmnist-surrogate.json")}",
            "--samplers", "random,tpe", "--seeds", "2", "--trials", "12", "--curves"], output, error);
        Assert.True(code == 0, error.ToString());
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        var curve = lines[0].Split("curve=")[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(12, curve.Length);
        Assert.All(curve.Zip(curve.Skip(1)), pair => Assert.True(pair.Second <= pair.First));
        Assert.InRange(curve[^1], 0.10, 0.30); // 1 - accuracy: the task's accuracies lie around 0.8
        Assert.Contains("objective=surrogate:fmnist-surrogate.json", lines[2]);
    }

    [Fact]
    public void A_missing_surrogate_file_is_a_one_line_error_naming_it()
    {
        var error = new StringWriter();
        int code = Sparta.Cli.CommandLine.Run(["tune-bench", "--objective", "surrogate:no-such.json", "--seeds", "1", "--trials", "2"], new StringWriter(), error);
        Assert.NotEqual(0, code);
        Assert.Contains("no-such.json", error.ToString());
        Assert.Single(error.ToString().Trim().Split('\n'));
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("corrupt", "{\"parameters\": [")]
    [InlineData("no-points", "{\"parameters\": []}")]
    [InlineData("wrong-shape", "{\"parameters\": [{\"name\": \"x\", \"low\": 0, \"high\": 1, \"log\": false, \"step\": null}], \"points\": [[0.5]], " +
                               "\"alpha\": [1, 2], \"squared_residuals\": [0.1], \"length_scales\": [0.3], \"noise_scale\": 0.25, " +
                               "\"offset\": 0.8, \"signal_variance\": 1, \"noise_factor\": 0.85}")]
    public void A_bad_surrogate_file_is_a_one_line_error_naming_it(string name, string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sparta-surrogate-{name}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        try
        {
            var error = new StringWriter();
            int code = Sparta.Cli.CommandLine.Run(["tune-bench", "--objective", $"surrogate:{path}", "--seeds", "1", "--trials", "2"], new StringWriter(), error);
            Assert.NotEqual(0, code);
            Assert.Contains(path, error.ToString());
            Assert.Single(error.ToString().Trim().Split('\n'));
        }
        finally { File.Delete(path); }
    }

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        double position = q * (sorted.Length - 1);
        int low = (int)position;
        return low + 1 < sorted.Length ? sorted[low] + (position - low) * (sorted[low + 1] - sorted[low]) : sorted[low];
    }
}
