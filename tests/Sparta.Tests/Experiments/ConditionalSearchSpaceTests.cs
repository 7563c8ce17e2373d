using Sparta.Experiments;
using Sparta.Tuning;
using Sparta.Tuning.Experiments;
using Sparta.Tuning.Samplers;

namespace Sparta.Tests.Experiments;

public class ConditionalSearchSpaceTests
{
    /// <summary>1 to 3 hidden layers with their own widths; SGD (with momentum) or Adam, each with its own learning-rate range.</summary>
    internal static readonly string Conditional = ExperimentText.Small
        .Replace("    - {name: dense, units: 8, activation: relu}", """
                - repeat: {int: [1, 3]}
                  layer: {name: dense, units: {int: [4, 64], log: true}, activation: relu}
            """)
        .Replace("optimizer: {name: adam, learning_rate: 0.01}", """
            optimizer:
              choice:
                - {name: sgd, learning_rate: {loguniform: [1e-3, 1]}, momentum: {uniform: [0, 0.99]}}
                - {name: adam, learning_rate: {loguniform: [1e-4, 1e-2]}}
            """);

    [Fact]
    public void EveryParameterOfEveryBranchIsFoundWithItsCondition()
    {
        var space = Experiment.Parse(Conditional, "exp.yaml").SearchSpace;
        var count = new SearchCondition("model.layers.0.repeat", Copy: 0);
        Assert.Equal(
        [
            new SearchParameter("model.layers.0.repeat", SearchKind.Int, 1, 3),
            new SearchParameter("model.layers.0.layer.0.units", SearchKind.Int, 4, 64, Log: true, Condition: count),
            new SearchParameter("model.layers.0.layer.1.units", SearchKind.Int, 4, 64, Log: true, Condition: count with { Copy = 1 }),
            new SearchParameter("model.layers.0.layer.2.units", SearchKind.Int, 4, 64, Log: true, Condition: count with { Copy = 2 }),
            new SearchParameter("optimizer", SearchKind.Choice, Choices: space[4].Choices),
            new SearchParameter("optimizer.sgd.learning_rate", SearchKind.LogUniform, 1e-3, 1, Log: true, Condition: new("optimizer", Option: "sgd")),
            new SearchParameter("optimizer.sgd.momentum", SearchKind.Uniform, 0, 0.99, Condition: new("optimizer", Option: "sgd")),
            new SearchParameter("optimizer.adam.learning_rate", SearchKind.LogUniform, 1e-4, 1e-2, Log: true, Condition: new("optimizer", Option: "adam")),
        ], space);
        Assert.Equal(["sgd", "adam"], space[4].Choices!);
        Assert.Equal("model.layers.0.repeat > 1", space[2].Condition!.ToString());
    }

    [Fact]
    public void TheExampleFileNamesItsParametersAsTheDocsSay()
    {
        var space = Experiment.Load(Path.Combine(RepositoryRoot.Path, "examples", "fashion-mnist-mlp-conditional.yaml")).SearchSpace;
        Assert.Equal(
        [
            "model.layers.1.repeat", "model.layers.1.layer.0.units", "model.layers.1.layer.1.units", "model.layers.1.layer.2.units",
            "optimizer", "optimizer.sgd.learning_rate", "optimizer.sgd.momentum", "optimizer.adam.learning_rate",
        ], space.Select(p => p.Path));
    }

    /// <summary>A choice inside a repeated layer: each copy chooses its own kind of layer, and draws that kind's values.</summary>
    [Fact]
    public void ChoicesNestInsideRepeatedLayersWithAChainOfConditions()
    {
        string text = ExperimentText.Small.Replace("    - {name: dense, units: 8, activation: relu}", """
                - repeat: {int: [1, 2]}
                  layer:
                    choice:
                      - {name: dense, units: {int: [4, 16]}, activation: relu}
                      - {name: dropout, rate: {uniform: [0.1, 0.5]}}
            """);
        var experiment = Experiment.Parse(text, "exp.yaml");
        var space = experiment.SearchSpace.ToDictionary(p => p.Path);
        Assert.Equal(new SearchCondition("model.layers.0.repeat", Copy: 1), space["model.layers.0.layer.1"].Condition);
        Assert.Equal(new SearchCondition("model.layers.0.layer.1", Option: "dropout"), space["model.layers.0.layer.1.dropout.rate"].Condition);
        Assert.Equal(7, space.Count); // the count, then per copy: the kind, its width, its rate

        var study = Study.Create(sampler: new RandomSampler(3));
        study.Optimize(trial =>
        {
            var layers = ExperimentObjective.Sample(experiment, trial).Spec().Model.Layers;
            var p = trial.Params;
            long copies = (long)p["model.layers.0.repeat"]!;
            Assert.Equal(copies + 1, layers.Count);
            for (int k = 0; k < copies; k++)
            {
                string kind = (string)p[$"model.layers.0.layer.{k}"]!;
                Assert.Equal(kind, layers[k].Config.Name);
                string value = kind == "dense" ? "units" : "rate";
                Assert.Equal(Convert.ToDouble(p[$"model.layers.0.layer.{k}.{kind}.{value}"]), layers[k].Config.Parameters[value]);
            }
            Assert.Equal(1 + 2 * copies, p.Count);
            return 0;
        }, 20);
    }

    [Fact]
    public void OptionsWithoutDistinctNamesAreLabelledByTheirIndex()
    {
        string text = ExperimentText.Small.Replace("optimizer: {name: adam, learning_rate: 0.01}",
            "optimizer: {choice: [{name: adam, learning_rate: 0.01}, {name: adam, learning_rate: {uniform: [0.001, 0.1]}}]}");
        var space = Experiment.Parse(text, "exp.yaml").SearchSpace;
        Assert.Equal(["0", "1"], space[0].Choices!);
        Assert.Equal(["optimizer", "optimizer.1.learning_rate"], space.Select(p => p.Path));
    }

    /// <summary>
    /// Over many seeded trials, as <c>sparta tune</c> draws them: momentum exists exactly in the SGD
    /// trials, and exactly as many widths as layers are drawn, each one landing in its layer.
    /// </summary>
    [Theory]
    [InlineData("random")]
    [InlineData("tpe")]
    [InlineData("sobol")]
    [InlineData("gp")]
    public void TrialsDrawOnlyTheChosenBranchAndOneWidthPerChosenLayer(string sampler)
    {
        var experiment = Experiment.Parse(Conditional, "exp.yaml");
        var study = Study.Create(sampler: SamplerRegistry.Create(sampler, 7));
        var seen = new HashSet<(string, long)>();
        study.Optimize(trial =>
        {
            var spec = ExperimentObjective.Sample(experiment, trial).Spec();
            var p = trial.Params;
            // Drawn exactly when its condition holds: the parameter it depends on was drawn, and chose its option or enough copies.
            foreach (var parameter in experiment.SearchSpace)
            {
                bool holds = parameter.Condition is not { } c
                    || (p.TryGetValue(c.Parameter, out var on) && (c.Option is not null ? c.Option == (string)on! : (long)on! > c.Copy));
                Assert.Equal(holds, p.ContainsKey(parameter.Path));
            }
            string optimizer = (string)p["optimizer"]!;
            long layers = (long)p["model.layers.0.repeat"]!;
            seen.Add((optimizer, layers));
            Assert.Equal(optimizer, spec.Optimizer.Name);
            Assert.Equal(optimizer == "sgd", p.ContainsKey("optimizer.sgd.momentum"));
            Assert.Equal(optimizer == "sgd", p.ContainsKey("optimizer.sgd.learning_rate"));
            Assert.Equal(optimizer == "adam", p.ContainsKey("optimizer.adam.learning_rate"));
            Assert.Equal(p[$"optimizer.{optimizer}.learning_rate"], spec.Optimizer.Parameters["learning_rate"]);
            if (optimizer == "sgd") Assert.Equal(p["optimizer.sgd.momentum"], spec.Optimizer.Parameters["momentum"]);
            Assert.Equal(layers + 1, spec.Model.Layers.Count);
            Assert.Equal(layers, p.Keys.Count(k => k.StartsWith("model.layers.0.layer.", StringComparison.Ordinal)));
            for (int k = 0; k < layers; k++)
                Assert.Equal((double)(long)p[$"model.layers.0.layer.{k}.units"]!, spec.Model.Layers[k].Config.Parameters["units"]);
            Assert.Equal(3.0, spec.Model.Layers[^1].Config.Parameters["units"]);
            // A stand-in objective that depends on the branch, so model-based samplers have something to model.
            return optimizer == "sgd" ? 1 - (double)p["optimizer.sgd.momentum"]! : layers;
        }, 40);
        Assert.Equal(40, study.GetTrials(TrialState.Complete).Count);
        Assert.Equal(6, seen.Count); // both optimizers with 1, 2 and 3 layers
    }

    /// <summary>
    /// With 60 trials each range gets 2 values: layers (1 with 2 widths, or 3 with 2^3) times
    /// optimizers (SGD with 2 x 2, or Adam with 2) make (2 + 8) x (4 + 2) = 60 configurations.
    /// </summary>
    [Fact]
    public void AGridOverAConditionalSpaceVisitsEachAllowedConfigurationOnce()
    {
        var experiment = Experiment.Parse(Conditional, "exp.yaml");
        var grid = ConditionalGrid.Create(experiment.SearchSpace, ExperimentObjective.ToDistribution, trials: 60, seed: 1);
        Assert.Equal(60, grid.Size);
        var study = Study.Create(sampler: grid);
        var configurations = new HashSet<string>();
        study.Optimize(trial =>
        {
            var spec = ExperimentObjective.Sample(experiment, trial).Spec();
            var p = trial.Params;
            Assert.Equal((string)p["optimizer"]! == "sgd", p.ContainsKey("optimizer.sgd.momentum"));
            Assert.Equal((long)p["model.layers.0.repeat"]! + 1, spec.Model.Layers.Count);
            Assert.Contains((long)p["model.layers.0.repeat"]!, new[] { 1L, 3L });
            configurations.Add(string.Join(" ", p.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")));
            return 0;
        }, 60);
        Assert.Equal(60, configurations.Count);
    }

    [Fact]
    public void AResolvedTrialIsAPlainExperimentThatReadsBackTheSame()
    {
        var resolved = Experiment.Parse(Conditional, "exp.yaml").Resolve(new Dictionary<string, object>
        {
            ["model.layers.0.repeat"] = 2L,
            ["model.layers.0.layer.0.units"] = 5L,
            ["model.layers.0.layer.1.units"] = 7L,
            ["optimizer"] = "sgd",
            ["optimizer.sgd.learning_rate"] = 0.05,
            ["optimizer.sgd.momentum"] = 0.9,
        });
        Assert.Empty(resolved.SearchSpace);
        string yaml = resolved.ToYaml();
        Assert.DoesNotContain("choice", yaml);
        Assert.DoesNotContain("repeat", yaml);
        var spec = Experiment.Parse(yaml, "exp.yaml").Spec();
        Assert.Equal([5.0, 7.0, 3.0], spec.Model.Layers.Select(l => l.Config.Parameters["units"]));
        Assert.Equal(("sgd", 0.05, 0.9), (spec.Optimizer.Name, spec.Optimizer.Parameters["learning_rate"], spec.Optimizer.Parameters["momentum"]));
    }

    [Fact]
    public void AFixedRepeatWritesTheLayerOutAndItsDistributionsAreThenPlainOnes()
    {
        var plain = Experiment.Parse(ExperimentText.Small.Replace("{name: dense, units: 8, activation: relu}",
            "{repeat: 2, layer: {name: dense, units: 8, activation: relu}}"), "exp.yaml");
        Assert.Equal([8.0, 8.0, 3.0], plain.Spec().Model.Layers.Select(l => l.Config.Parameters["units"]));
        var searched = Experiment.Parse(ExperimentText.Small.Replace("{name: dense, units: 8, activation: relu}",
            "{repeat: 2, layer: {name: dense, units: {int: [4, 8]}}}"), "exp.yaml");
        Assert.Equal(["model.layers.0.units", "model.layers.1.units"], searched.SearchSpace.Select(p => p.Path));
        Assert.All(searched.SearchSpace, p => Assert.Null(p.Condition));
    }

    [Fact]
    public void DistributionsLeftWithoutAValueStayAsWritten()
    {
        // One copy, its width still open: now a plain layer of the list, whose width is named as such.
        var partly = Experiment.Parse(Conditional, "exp.yaml").Resolve(new Dictionary<string, object> { ["model.layers.0.repeat"] = 1L });
        Assert.Equal(["model.layers.0.units", "optimizer", "optimizer.sgd.learning_rate", "optimizer.sgd.momentum", "optimizer.adam.learning_rate"],
            partly.SearchSpace.Select(p => p.Path));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(4L)]
    [InlineData(2.5)]
    [InlineData("two")]
    public void ARepeatCountGivenOutsideItsRangeIsNamed(object count)
    {
        var experiment = Experiment.Parse(Conditional, "exp.yaml");
        var e = Assert.Throws<ExperimentException>(() => experiment.Resolve(new Dictionary<string, object> { ["model.layers.0.repeat"] = count }));
        Assert.StartsWith($"exp.yaml: model.layers.0.repeat: the count must be an integer in [1, 3], got {Convert.ToString(count, System.Globalization.CultureInfo.InvariantCulture)}", e.Message);
    }

    [Theory]
    [InlineData("optimizer: {choice: [{name: sgd}, adam]}", "",
        "exp.yaml: optimizer.choice.1: options must be all plain values or all mappings (blocks), got 'adam' among mappings")]
    [InlineData("optimizer: {choice: [{name: sgd, momentum: {uniform: [1, 0]}}, {name: adam}]}", "",
        "exp.yaml: optimizer.choice.0.momentum.uniform: low must be below high, got [1, 0]")]
    [InlineData("optimizer: {choice: [{name: sgd}, {name: adamm}]}", "",
        "exp.yaml: optimizer.name: unknown optimizer 'adamm'; did you mean 'adam' or 'adamw'? (when optimizer = adamm)")]
    [InlineData("", "repeat: {uniform: [1, 3]}",
        "exp.yaml: model.layers.0.repeat: must be an integer or an int distribution such as {int: [1, 3]}, got uniform: [1, 3]")]
    [InlineData("", "repeat: two",
        "exp.yaml: model.layers.0.repeat: must be an integer in [0, 100] or an int distribution such as {int: [1, 3]}, got 'two'")]
    [InlineData("", "repeat: {int: [1, 1000]}",
        "exp.yaml: model.layers.0.repeat: the count must be in [0, 100], got int: [1, 1000]")]
    [InlineData("", "repeat: 2, layers: {name: dense, units: 4}",
        "exp.yaml: model.layers.0.layers: unknown key for a repeated layer; did you mean 'layer'?")]
    [InlineData("", "repeat: 2",
        "exp.yaml: model.layers.0: a repeated layer needs the layer to repeat")]
    [InlineData("", "repeat: 2, layer: {name: dense, units: {int: [4.5, 8]}}",
        "exp.yaml: model.layers.0.layer.units.int: int bounds must be integers, got [4.5, 8]")]
    [InlineData("", "repeat: {int: [0, 2]}, layer: {name: dense, units: 0}",
        "exp.yaml: model.layers.0: layer 'dense': units must be at least 1, got 0 (Parameter 'units') (when every int is at its highest value)")]
    public void BadConditionalSpacesAreOneLineErrorsNamingTheKeyAndValue(string optimizer, string repeat, string expected)
    {
        string text = ExperimentText.Small;
        if (optimizer.Length > 0) text = text.Replace("optimizer: {name: adam, learning_rate: 0.01}", optimizer);
        if (repeat.Length > 0) text = text.Replace("{name: dense, units: 8, activation: relu}", "{" + repeat + "}");
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(text, "exp.yaml"));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
