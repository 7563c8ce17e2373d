using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sparta.Cli;

namespace Sparta.Tuning.Tests.Cli;

public class TuneCommandTests
{
    /// <summary>Runs in memory: these tests look at one run's output, not at a study kept between runs.</summary>
    private static (int Code, string[] Lines, string Error) Run(params string[] words)
    {
        if (words[0] == "tune" && !words.Contains("--storage") && !words.Contains("--stages")) words = words.Concat(new[] { "--storage", "memory" }).ToArray();
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(words, output, error);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString().Trim());
    }

    private static readonly Regex TrialLine = new(@"^x1: (-?[0-9.e+-]+)  x2: (-?[0-9.e+-]+)  value: ([0-9.e+-]+)  \((\d+)/(\d+)\)$");

    [Theory]
    [InlineData("random")]
    [InlineData("grid")]
    [InlineData("sobol")]
    [InlineData("tpe")]
    public void Prints_one_line_per_trial_then_the_best(string sampler)
    {
        var (code, lines, _) = Run("tune", "--objective", "branin", "--trials", "12", "--sampler", sampler, "--seed", "3");
        Assert.Equal(0, code);
        Assert.Equal(13, lines.Length);
        var values = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            var m = TrialLine.Match(lines[i]);
            Assert.True(m.Success, lines[i]);
            Assert.Equal($"{i + 1}", m.Groups[4].Value);
            Assert.Equal("12", m.Groups[5].Value);
            double x1 = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), x2 = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            double value = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            Assert.Equal(Sparta.Tuning.TestFunctions.TestFunction.Branin().Evaluate(new[] { x1, x2 }), value, 1e-3 * (1 + value));
            values.Add(value);
        }
        var best = Regex.Match(lines[12], @"^best value=([0-9.e+-]+) trial=(\d+) params: x1=\S+ x2=\S+$");
        Assert.True(best.Success, lines[12]);
        Assert.Equal(values.Min(), double.Parse(best.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(values.IndexOf(values.Min()), int.Parse(best.Groups[2].Value));
    }

    [Fact]
    public void A_function_of_several_objectives_prints_every_value_and_ends_with_its_feasible_front()
    {
        string export = Path.Combine(Path.GetTempPath(), $"binh-korn-{Guid.NewGuid():N}.csv");
        var (code, lines, _) = Run("tune", "--objective", "binh-korn", "--trials", "30", "--seed", "4", "--export", export);
        Assert.Equal(0, code);
        var table = File.ReadAllLines(export);
        File.Delete(export);
        Assert.Equal("number,values_0,values_1,datetime_start,datetime_complete,duration_s,params_x1,params_x2,state", table[0]);
        Assert.Equal(31, table.Length);
        var function = Sparta.Tuning.TestFunctions.MultiObjectiveFunction.BinhKorn();
        var points = new List<(int Number, double[] F, bool Feasible)>();
        var line = new Regex(@"^x1: (\S+)  x2: (\S+)  f1: (\S+)  f2: (\S+)(  infeasible \(violation \S+\))?  \((\d+)/30\)$");
        for (int i = 0; i < 30; i++)
        {
            var m = line.Match(lines[i]);
            Assert.True(m.Success, lines[i]);
            double[] x = [double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)];
            double[] f = [double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)];
            Assert.Equal(function.Evaluate(x)[0], f[0], 1e-4 * (1 + f[0]));
            bool feasible = function.Constraints!(x).All(c => c <= 0);
            Assert.Equal(!feasible, m.Groups[5].Success);
            points.Add((i, f, feasible));
        }
        // The front by brute force over the printed values: feasible points no other feasible point dominates.
        var feasiblePoints = points.Where(p => p.Feasible).ToList();
        var front = feasiblePoints.Where(p => !feasiblePoints.Any(o => o.F[0] <= p.F[0] && o.F[1] <= p.F[1] && (o.F[0] < p.F[0] || o.F[1] < p.F[1])))
            .Select(p => p.Number).ToList();
        Assert.Equal($"pareto front: {front.Count} trials no other trial beats on every objective", lines[30]);
        Assert.Equal(front, lines.Skip(31).Where(l => l.StartsWith("pareto trial=")).Select(l => int.Parse(Regex.Match(l, @"^pareto trial=(\d+) f1=").Groups[1].Value)));
    }

    [Fact]
    public void A_sampler_of_one_value_is_refused_for_several_objectives()
    {
        var (code, _, error) = Run("tune", "--objective", "zdt1:4", "--trials", "5", "--sampler", "tpe");
        Assert.Equal(2, code);
        Assert.Equal("sparta tune: option --sampler: tpe learns from one value; 'zdt1:4' has several objectives (use nsga2 or random)", error);
    }

    [Fact]
    public void Trial_runs_are_refused_for_a_test_function()
    {
        var (code, _, error) = Run("tune", "--objective", "branin", "--trials", "3", "--trial-runs", "runs");
        Assert.Equal(2, code);
        Assert.Equal("sparta tune: option --trial-runs applies to an experiment file", error);
    }

    [Fact]
    public void A_sampler_with_parameters_takes_them_from_the_option()
    {
        string[] Lines(string sampler) => Run("tune", "--objective", "branin", "--trials", "5", "--sampler", sampler, "--seed", "3").Lines;
        var random = Lines("random");
        var tpe = Lines("{name: tpe, startup_trials: 3}");
        Assert.Equal(random.Take(3), tpe.Take(3));
        Assert.NotEqual(random[3], tpe[3]);
    }

    [Fact]
    public void Same_seed_same_output()
    {
        var a = Run("tune", "--objective", "hartmann6", "--trials", "15", "--sampler", "tpe", "--seed", "4").Lines;
        var b = Run("tune", "--objective", "hartmann6", "--trials", "15", "--sampler", "tpe", "--seed", "4").Lines;
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("--sampler", "annealing", "option --sampler: unknown sampler 'annealing'")]
    [InlineData("--pruner", "patient", "option --pruner: unknown pruner 'patient'")]
    [InlineData("--sampler", "{name: tpe, startup_trial: 2}", "option --sampler: startup_trial: unknown key; did you mean 'startup_trials'?")]
    [InlineData("--pruner", "{name: percentile, percentile: 120}", "option --pruner: percentile: must be in [0, 100], got 120")]
    [InlineData("--sampler", "{name: tpe", "option --sampler: cannot read value '{name: tpe'")]
    [InlineData("--objective", "rastrigin", "option --objective: unknown test function 'rastrigin'")]
    [InlineData("--trials", "0", "option --trials: expected an integer in [1, 1000000], got '0'")]
    [InlineData("--stages", "10,x", "option --stages: expected trial counts like 30,20, got '10,x'")]
    public void Bad_options_give_one_line_naming_key_and_value(string option, string value, string message)
    {
        var words = new List<string> { "tune", "--objective", "branin" };
        words.RemoveAll(w => option == "--objective" && (w == "--objective" || w == "branin"));
        words.AddRange(new[] { option, value });
        var (code, _, error) = Run(words.ToArray());
        Assert.Equal(2, code);
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith($"sparta tune: {message}", error);
    }

    [Fact]
    public void Exports_csv_and_json_with_every_trial()
    {
        string dir = Directory.CreateTempSubdirectory("sparta-tune-").FullName;
        try
        {
            string csv = Path.Combine(dir, "trials.csv"), json = Path.Combine(dir, "trials.json");
            var (_, lines, _) = Run("tune", "--objective", "branin", "--trials", "5", "--sampler", "random", "--seed", "1", "--export", csv);
            Run("tune", "--objective", "branin", "--trials", "5", "--sampler", "random", "--seed", "1", "--export", json);
            var rows = File.ReadAllLines(csv);
            Assert.Equal("number,value,datetime_start,datetime_complete,duration_s,params_x1,params_x2,state", rows[0]);
            Assert.Equal(6, rows.Length);
            using var document = JsonDocument.Parse(File.ReadAllText(json));
            var trials = document.RootElement.EnumerateArray().ToList();
            Assert.Equal(5, trials.Count);
            for (int i = 0; i < 5; i++)
            {
                var cells = rows[i + 1].Split(',');
                double csvValue = double.Parse(cells[1], CultureInfo.InvariantCulture);
                Assert.Equal(csvValue, trials[i].GetProperty("value").GetDouble());
                Assert.Equal(double.Parse(cells[5], CultureInfo.InvariantCulture), trials[i].GetProperty("params").GetProperty("x1").GetDouble());
                Assert.Equal("COMPLETE", cells[^1]);
                Assert.Equal("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": -5.0, \"high\": 10.0, \"log\": false}}",
                    Sparta.Tuning.Distributions.Distribution.FromJson(trials[i].GetProperty("distributions").GetProperty("x1").GetRawText()).ToJson());
                Assert.StartsWith($"x1: ", lines[i]);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Coarse_to_fine_stages_print_their_ranges()
    {
        var (code, lines, _) = Run("tune", "--objective", "branin", "--stages", "12,8", "--sampler", "random", "--seed", "2");
        Assert.Equal(0, code);
        Assert.StartsWith("stage 1/2: 12 trials at budget 1: x1 in [-5.000000, 10.000000]", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("stage 2/2: 8 trials at budget 2: "));
        Assert.Equal(20, lines.Count(l => TrialLine.IsMatch(l)));
        Assert.StartsWith("best value=", lines[^1]);
    }

    [Fact]
    public void Importance_ranks_every_parameter()
    {
        var (_, lines, _) = Run("tune", "--objective", "branin", "--trials", "30", "--sampler", "random", "--importance");
        var shares = lines.Where(l => l.StartsWith("importance ")).Select(l => double.Parse(l.Split('=')[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, shares.Count);
        Assert.Equal(1.0, shares.Sum(), 2e-3);
    }
}
