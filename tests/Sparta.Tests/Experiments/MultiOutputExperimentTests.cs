using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tests.Data;

namespace Sparta.Tests.Experiments;

/// <summary>
/// examples/penguins-multi-output.yaml: one model classifies the penguins' species and estimates their
/// body mass; its file's per-output keys, and their mistakes.
/// </summary>
public class MultiOutputExperimentTests
{
    private static string ExamplePath => Path.Combine(RepositoryRoot.Path, "examples", "penguins-multi-output.yaml");

    private static readonly string Example = File.ReadAllText(ExamplePath);

    private static string Error(string from, string to)
    {
        Assert.Contains(from, Example);
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(Example.Replace(from, to), "exp.yaml").Spec());
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Theory]
    [InlineData("loss: {species: sparse_categorical_crossentropy, mass:", "loss: {specie: sparse_categorical_crossentropy, mass:",
        "exp.yaml: loss.specie: 'specie' is not an output of the model (model.outputs: species, mass); did you mean 'species'")]
    [InlineData("loss: {species: sparse_categorical_crossentropy, mass: mean_absolute_error}", "loss: {species: sparse_categorical_crossentropy}",
        "exp.yaml: loss: gives no loss for output 'mass' (model.outputs: species, mass)")]
    [InlineData("loss_weights: {species: 1, mass: 0.01}", "loss_weights: {species: 1, weight: 0.01}",
        "exp.yaml: loss_weights.weight: 'weight' is not an output of the model (model.outputs: species, mass)")]
    [InlineData("loss_weights: {species: 1, mass: 0.01}", "loss_weights: [1, 0.01, 2]",
        "exp.yaml: loss_weights: lists 3 weights for 2 outputs (species, mass)")]
    [InlineData("loss_weights: {species: 1, mass: 0.01}", "loss_weights: {species: 1, mass: -2}",
        "exp.yaml: loss_weights.mass: must be a finite number ≥ 0, got -2")]
    [InlineData("metrics: {species: [accuracy], mass: [mean_absolute_error]}", "metrics: {species: [accuracy], masss: [mean_absolute_error]}",
        "exp.yaml: metrics.masss: 'masss' is not an output of the model (model.outputs: species, mass); did you mean 'mass'")]
    [InlineData("metrics: {species: [accuracy], mass: [mean_absolute_error]}", "metrics: {species: [acuracy]}",
        "exp.yaml: metrics.species.0.name: unknown metric 'acuracy'")]
    [InlineData("target_column: {species: species, mass: body_mass_g}", "target_column: {species: species, weight: body_mass_g}",
        "exp.yaml: data.target_column.weight: 'weight' is not an output of the model (model.outputs: species, mass)")]
    [InlineData("target_column: {species: species, mass: body_mass_g}", "target_column: species",
        "exp.yaml: data: model.outputs gives 2 outputs (species, mass), each needs its targets")]
    [InlineData("outputs: [species, mass]", "outputs: [species, weight]",
        "exp.yaml: model.outputs.1: 'weight' is not a layer id; did you mean")]
    [InlineData("outputs: [species, mass]", "outputs: [species]",
        "exp.yaml: model.outputs: must list two layer ids or more (one output is model.output), got [species]")]
    [InlineData("outputs: [species, mass]", "output: mass",
        "exp.yaml: data.target_column: maps outputs to their targets, and the model has one output")]
    [InlineData("epochs: 60", "epochs: 60\nensemble: 3",
        "exp.yaml: ensemble: averages the one output of its members, and model.outputs gives 2; remove ensemble")]
    public void MistakesInThePerOutputKeysAreOneLineNamingTheKeyAndTheValue(string from, string to, string expected)
    {
        Assert.StartsWith(expected, Error(from, to));
    }

    [Fact]
    public void TheFileReadsAsKerasCompilesSeveralOutputs()
    {
        var spec = Experiment.Load(ExamplePath).Spec();
        Assert.Equal(["species", "mass"], spec.Model.Outputs!);
        var outputs = spec.Outputs!;
        Assert.Equal(("species", "sparse_categorical_crossentropy", 1.0, "accuracy"), (outputs[0].Name, outputs[0].Loss.Name, outputs[0].Weight, outputs[0].Metrics.Single().Name));
        Assert.Equal(("mass", "mean_absolute_error", 0.01), (outputs[1].Name, outputs[1].Loss.Name, outputs[1].Weight));
        // One loss and a list of metrics are every output's; weights in a list follow the outputs' order.
        var shared = Experiment.Parse(Example
            .Replace("loss: {species: sparse_categorical_crossentropy, mass: mean_absolute_error}", "loss: mean_squared_error")
            .Replace("loss_weights: {species: 1, mass: 0.01}", "loss_weights: [0.5, 2]")
            .Replace("metrics: {species: [accuracy], mass: [mean_absolute_error]}", "metrics: [mean_absolute_error]"), "exp.yaml").Spec().Outputs!;
        Assert.All(shared, o => Assert.Equal(("mean_squared_error", "mean_absolute_error"), (o.Loss.Name, o.Metrics.Single().Name)));
        Assert.Equal([0.5, 2.0], shared.Select(o => o.Weight));
    }

    [Fact]
    public void TheExampleTrainsBothHeadsAndEvaluateGivesTheRunsScoresWithTheTotalTheWeightedSum()
    {
        using var directory = new TempDirectory();
        var experiment = Experiment.Load(ExamplePath).With("epochs", "30");
        var result = new ExperimentRunner(experiment).Run(TextWriter.Null, verbose: false, diagnose: false);
        var scores = result.TestScores;
        Assert.True(scores["species_accuracy"] > 0.9, $"species accuracy {scores["species_accuracy"]}");
        // Body masses spread with a standard deviation of about 800 g: the head must do far better than the mean.
        Assert.True(scores["mass_mae"] < 400, $"mass error {scores["mass_mae"]} g");
        Assert.Equal(scores["species_loss"] + 0.01 * scores["mass_loss"], scores["loss"], 4);

        string path = Path.Combine(directory.Path, "model.sparta");
        ModelFile.Save(path, result.Trainer, result.Data.Preprocessing, experiment.MovedTo(directory.Path).ToYaml());
        var saved = ModelLoader.Load(path);
        var evaluated = ModelEvaluation.Evaluate(saved);
        foreach (var (key, value) in scores) Assert.Equal(value, evaluated[key], 12);

        // A checkpoint carries each output's objective: resuming it trains on, logging the same keys.
        var trainer = saved.Checkpoint!.CreateTrainer();
        Assert.Equal(["species", "mass"], trainer.Outputs.Select(o => o.Output));
        Assert.Equal([1.0, 0.01], trainer.Outputs.Select(o => o.Weight));
        trainer.Fit(result.Data.Train, 31, 16, verbose: false, seed: 0);
        Assert.Equal(31, trainer.History["mass_loss"].Count);
    }
}
