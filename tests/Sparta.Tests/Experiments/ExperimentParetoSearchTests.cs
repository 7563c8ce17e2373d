using Sparta.Cli;
using Sparta.Experiments;
using Sparta.Tuning;
using Sparta.Tuning.Experiments;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;

namespace Sparta.Tests.Experiments;

/// <summary>
/// <c>search.objectives</c>, <c>directions</c> and <c>constraints</c>: a study of several objectives
/// over the run's measures, its constraint values, its front, and the one-line refusals of a file
/// that asks for what cannot be done.
/// </summary>
public sealed class ExperimentParetoSearchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-pareto-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The blobs experiment (4 inputs, 3 classes) with its hidden width searched; <paramref name="search"/> is the search section.</summary>
    private string Write(string search) => ExperimentText.Write(_directory, ExperimentText.Small
        .Replace("{name: dense, units: 8, activation: relu}", "{name: dense, units: {int: [2, 40]}, activation: relu}")
        .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  validation_split: 0.2") + "\n" + search);

    [Fact]
    public void Two_measures_make_a_study_of_two_objectives_with_the_runs_parameter_counts_and_constraints()
    {
        var experiment = Experiment.Load(Write("""
            search:
              sampler: {name: nsga2, population_size: 4}
              objectives: [val_accuracy, parameters]
              constraints: {parameters: 200}
            """));
        var result = ExperimentSearch.Run(experiment, new ExperimentSearchOptions { Trials = 8, Seed = 2, Storage = new InMemoryStorage() });
        var study = result.Study;
        Assert.Equal([StudyDirection.Maximize, StudyDirection.Minimize], study.Directions); // accuracy up, a count down
        Assert.IsType<NsgaIISampler>(study.Sampler);
        Assert.Equal(["val_accuracy", "parameters"], StudySystemAttrs.ObjectiveNames(study));
        foreach (var trial in study.GetTrials(TrialState.Complete))
        {
            // Dense(4 -> u) and Dense(u -> 3), with biases: 4u + u + 3u + 3.
            long units = (long)trial.Params["model.layers.0.units"]!;
            Assert.Equal(8 * units + 3, trial.Values![1]);
            Assert.InRange(trial.Values[0], 0, 1);
            Assert.Equal([8 * units + 3 - 200.0], TrialConstraints.Of(trial));
        }
        var front = result.BestTrials;
        Assert.NotEmpty(front);
        Assert.All(front, t => Assert.True(TrialConstraints.Feasible(TrialConstraints.Of(t)!)));
        Assert.Throws<InvalidOperationException>(() => result.BestExperiment);
        // Each front trial is a ready experiment with its own width.
        Assert.Equal((long)front[0].Params["model.layers.0.units"]!, Convert.ToInt64(result.ExperimentOf(front[0]).Spec().Model.Layers[0].Config.Parameters["units"]));
    }

    [Theory]
    [InlineData("objectives: [val_acuracy, parameters]", "exp.yaml: search.objectives.0: unknown measure 'val_acuracy'; did you mean 'val_accuracy'?")]
    [InlineData("objectives: [val_accuracy, val_accuracy]", "exp.yaml: search.objectives.1: 'val_accuracy' is listed twice")]
    [InlineData("objectives: [val_accuracy, parameters]\n  directions: [maximize]", "exp.yaml: search.directions: 1 directions for 2 objectives; give one per objective")]
    [InlineData("directions: [maximize, minimize]", "exp.yaml: search.directions: 2 directions need as many objectives; name them in search.objectives (e.g. [val_accuracy, parameters])")]
    [InlineData("objectives: [val_accuracy, parameters]\n  directions: [maximize, smaller]", "exp.yaml: search.directions.1: expected minimize or maximize, got 'smaller'")]
    [InlineData("objectives: [val_accuracy, parameters]\n  sampler: tpe", "exp.yaml: search.sampler: tpe learns from one value; search.objectives names 2 (use nsga2 or random)")]
    [InlineData("objectives: [val_accuracy, parameters]\n  sampler: random\n  pruner: median", "exp.yaml: search.pruner: trials of several objectives report no value per epoch, so they cannot be pruned; got median")]
    [InlineData("constraints: {latency: 2}", "exp.yaml: search.constraints.latency: unknown measure 'latency'; did you mean 'latency_ms'?")]
    public void A_search_section_that_cannot_be_run_is_refused_in_one_line(string search, string message)
    {
        string file = Write("search:\n  " + search + "\n");
        var e = Assert.Throws<ExperimentException>(() => ExperimentSearch.Run(Experiment.Load(file), new ExperimentSearchOptions { Trials = 1, Storage = new InMemoryStorage() }));
        Assert.Equal(message, e.Message.Replace(file, "exp.yaml"));
    }

    [Fact]
    public void Tune_prints_every_value_of_each_trial_then_the_front()
    {
        string file = Write("""
            search:
              sampler: {name: nsga2, population_size: 3}
              objectives: [val_loss, parameters]
            """);
        var output = new StringWriter();
        int code = CommandLine.Run(["tune", file, "--trials", "5", "--storage", "memory"], output, new StringWriter());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, code);
        // The parameter count prints as the whole number it is, Dense(4 -> u) and Dense(u -> 3) with biases: 8u + 3.
        Assert.All(lines.Take(5), l =>
        {
            var m = System.Text.RegularExpressions.Regex.Match(l, @"^model\.layers\.0\.units: (\d+)  val_loss: \S+  parameters: (\S+)  \(\d/5\)$");
            Assert.True(m.Success, l);
            Assert.Equal((8 * long.Parse(m.Groups[1].Value) + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value);
        });
        var count = System.Text.RegularExpressions.Regex.Match(lines[5], @"^pareto front: (\d+) trials? no other trial beats on every objective$");
        Assert.True(count.Success, lines[5]);
        Assert.Equal(int.Parse(count.Groups[1].Value), lines.Skip(6).Count(l => l.StartsWith("pareto trial=")));
        Assert.All(lines.Skip(6), l => Assert.Matches(@"^pareto trial=\d val_loss=\S+ parameters=\d+ params: model\.layers\.0\.units=\d+$", l));
    }
}
