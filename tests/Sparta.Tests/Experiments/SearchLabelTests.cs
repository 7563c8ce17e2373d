using Sparta.Cli;
using Sparta.Experiments;

namespace Sparta.Tests.Experiments;

/// <summary>
/// <c>{loguniform: [1e-4, 1e-1], label: lr}</c>: the label names the parameter in place of its key
/// path, in the search space, the trial lines, the exports and the resolved experiment; copies of
/// a repeated layer keep apart; two values cannot share a label.
/// </summary>
public sealed class SearchLabelTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-label-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Labelled(string learningRate, string units = "8") => ExperimentText.Small
        .Replace("learning_rate: 0.01", $"learning_rate: {learningRate}")
        .Replace("{name: dense, units: 8, activation: relu}", $"{{name: dense, units: {units}, activation: relu}}");

    [Fact]
    public void A_label_names_the_parameter_and_the_resolved_experiment_puts_its_value_at_the_key()
    {
        var experiment = Experiment.Parse(Labelled("{loguniform: [1e-4, 1e-1], label: lr}", "{int: [4, 16], label: width}"), "exp.yaml");
        Assert.Equal([new SearchParameter("width", SearchKind.Int, 4, 16), new SearchParameter("lr", SearchKind.LogUniform, 1e-4, 1e-1, Log: true)],
            experiment.SearchSpace);
        var spec = experiment.Resolve(new Dictionary<string, object> { ["lr"] = 0.02, ["width"] = 12L }).Spec();
        Assert.Equal(0.02, spec.Optimizer.Parameters["learning_rate"]);
        Assert.Equal(12L, Convert.ToInt64(spec.Model.Layers[0].Config.Parameters["units"]));
    }

    [Fact]
    public void Copies_of_a_repeated_layer_number_their_label()
    {
        var text = ExperimentText.Small.Replace("    - {name: dense, units: 8, activation: relu}", """
                - repeat: {int: [1, 2]}
                  layer: {name: dense, units: {int: [4, 64], label: units}, activation: relu}
            """);
        Assert.Equal(["model.layers.0.repeat", "units.0", "units.1"], Experiment.Parse(text, "exp.yaml").SearchSpace.Select(p => p.Path));
    }

    [Theory]
    [InlineData("{uniform: [0.001, 0.1], label: lr}", "{int: [4, 16], label: lr}", "exp.yaml: optimizer.learning_rate.label: label 'lr' is already the name of model.layers.0.units; each label names one value")]
    [InlineData("{uniform: [0.001, 0.1], label: 'learning rate'}", "8", "exp.yaml: optimizer.learning_rate.label: a label is a short name without spaces or colons, e.g. lr; got 'learning rate'")]
    [InlineData("{uniform: [0.001, 0.1], lable: lr}", "8", "exp.yaml: optimizer.learning_rate.lable: unknown key for a uniform distribution; did you mean 'label'?")]
    public void A_bad_label_is_refused_in_one_line(string learningRate, string units, string message)
    {
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(Labelled(learningRate, units), "exp.yaml"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Trial_lines_and_exports_use_the_label()
    {
        string file = ExperimentText.Write(_directory, Labelled("{loguniform: [1e-3, 0.1], label: lr}")
            .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  validation_split: 0.2"));
        string export = Path.Combine(_directory, "trials.csv");
        var output = new StringWriter();
        int code = CommandLine.Run(["tune", file, "--trials", "2", "--sampler", "random", "--storage", "memory", "--export", export], output, new StringWriter());
        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^lr: \S+  val_accuracy: \S+  \(1/2\)$", lines[0]);
        Assert.Contains("params_lr", File.ReadLines(export).First().Split(','));
    }
}
