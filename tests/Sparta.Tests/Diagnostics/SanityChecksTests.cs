using Sparta.Activations;
using Sparta.Diagnostics;
using Sparta.Initializers;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Regularizers;
using Sparta.Tests.Training;
using Sparta.Training;

namespace Sparta.Tests.Diagnostics;

public class SanityChecksTests
{
    private static Model Classifier(double lastStd, bool regularized = false) => new Sequential([2],
    [
        new Dense(16, new Relu(), kernelRegularizer: regularized ? new L1L2(0, 0.01) : null),
        new Dense(3, kernelInitializer: new RandomNormal(0, lastStd)),
    ], "classifier", 3);

    private static IReadOnlyList<SanityChecks.Check> Run(Model model, Func<Optimizer> optimizer, int maxEpochs = 300) =>
        SanityChecks.Run(model, LossRegistry.Create("sparse_categorical_crossentropy"), optimizer, TrainingData.Blobs(100, 1), maxEpochs: maxEpochs);

    [Fact]
    public void AHealthyModelPassesEveryCheck()
    {
        var model = Classifier(0.001, regularized: true);
        var checks = Run(model, () => new Adam(0.05));
        Assert.All(checks, c => Assert.True(c.Passed, c.ToString()));
        Assert.Contains("ln 3 = 1.099", checks[0].Why);
        // The overfitting run trained the model; its weights must be back where they started.
        TrainingData.AssertSameWeights(new Sequential([2], [new Dense(16, new Relu(), kernelRegularizer: new L1L2(0, 0.01)),
            new Dense(3, kernelInitializer: new RandomNormal(0, 0.001))], "classifier", 3), model);
    }

    [Fact]
    public void LargeLastLayerWeightsFailTheInitialLossCheck()
    {
        var checks = Run(Classifier(10), () => new Adam(0.05));
        Assert.False(checks[0].Passed, checks[0].ToString());
        Assert.Contains("too large", checks[0].Why);
    }

    [Fact]
    public void GlorotLogitsStartAboveLnCByTheirSpreadAndPass()
    {
        // Keras' default last layer: logits of std about 1, so the start is well above ln 3 and still right.
        // Inputs in 20 dimensions with random labels: nothing for the random weights to agree with by luck.
        var random = new Sparta.Tensors.RandomGenerator(4);
        var x = Sparta.Tensors.Tensor.Zeros(200, 20);
        random.FillNormal(x.Span, 0, 1);
        var data = Sparta.Data.Dataset.Classification([("input", x)], Enumerable.Range(0, 200).Select(_ => random.NextInt(3)).ToArray(), 3);
        var model = new Sequential([20], [new Dense(64, new Relu()), new Dense(3)], "glorot", 3);
        var check = SanityChecks.Run(model, LossRegistry.Create("sparse_categorical_crossentropy"), () => new Adam(0.05), data, maxEpochs: 1)[0];
        Assert.True(check.Passed, check.ToString());
        Assert.Contains("plus", check.Why);
    }

    [Fact]
    public void AModelThatAlreadyKnowsTheLabelsDoesNotMatchAnUntrainedStart()
    {
        var data = TrainingData.Blobs(100, 1);
        var model = Classifier(0.001);
        model.Compile(new Adam(0.05), "sparse_categorical_crossentropy").Fit(data, epochs: 3, batchSize: 20, seed: 1, verbose: false);
        var check = SanityChecks.Run(model, LossRegistry.Create("sparse_categorical_crossentropy"), () => new Adam(0.05), data, maxEpochs: 1, maxLogitSpread: 100)[0];
        Assert.False(check.Passed, check.ToString());
        Assert.Contains("agree with the labels beyond chance", check.Why);
    }

    [Fact]
    public void WithoutPenaltiesTheRegularizationCheckIsSkipped()
    {
        var checks = Run(Classifier(0.001), () => new Adam(0.05));
        Assert.Null(checks[1].Passed);
        Assert.StartsWith("skip", checks[1].ToString());
    }

    [Fact]
    public void ARateTooSmallCannotOverfitTheSubset()
    {
        var checks = Run(Classifier(0.001), () => new Sgd(1e-7), maxEpochs: 5);
        Assert.False(checks[2].Passed, checks[2].ToString());
        Assert.Contains("after 5 epochs", checks[2].Why);
    }

    /// <summary>scikit-learn's diabetes set, standardized inputs, raw targets (about 25 to 346).</summary>
    private static Sparta.Data.Dataset Diabetes()
    {
        var data = Sparta.Data.DatasetRegistry.Load("diabetes");
        var standardize = new Sparta.Data.Preprocessing.PreprocessingPipeline([new Sparta.Data.Preprocessing.Standardize()]);
        return standardize.FitApply("input", data)[0];
    }

    private static Model Regressor(Initializer? bias = null, double kernelStd = 0.05) => new Sequential([10],
    [
        new Dense(32, new Relu()),
        new Dense(1, kernelInitializer: new RandomNormal(0, kernelStd), biasInitializer: bias),
    ], "regressor", 3);

    private static IReadOnlyList<SanityChecks.Check> RunRegression(Model model, Func<Optimizer> optimizer, int maxEpochs = 1000) =>
        SanityChecks.Run(model, LossRegistry.Create("mse"), optimizer, Diabetes(), maxEpochs: maxEpochs);

    [Fact]
    public void ARegressorStartingAtTheTargetsMeanPassesAndLearnsTwentyPatientsByHeart()
    {
        var data = Diabetes();
        var first = data.Target.ToArray().Take(256).Select(v => (double)v).ToArray();
        double mean = first.Average(), variance = first.Sum(v => (v - mean) * (v - mean)) / first.Length;
        var checks = RunRegression(Regressor(new ConstantInitializer(mean)), () => new Adam(0.05));
        Assert.True(checks[0].Passed, checks[0].ToString());
        // Predicting the mean scores the targets' variance under the squared error.
        Assert.Contains(FormattableString.Invariant($"predicting the targets' mean {variance:G4}"), checks[0].Why);
        Assert.DoesNotContain("bias_initializer", checks[0].Why);
        Assert.Null(checks[1].Passed);
        Assert.True(checks[2].Passed, checks[2].ToString());
    }

    [Fact]
    public void TargetsFarFromZeroAreNotedWithTheBiasThatStartsAtTheirMean()
    {
        var check = RunRegression(Regressor(), () => new Adam(0.05), maxEpochs: 1)[0];
        Assert.True(check.Passed, check.ToString());
        double mean = Diabetes().Target.ToArray().Take(256).Average(v => (double)v);
        Assert.Contains(FormattableString.Invariant($"bias_initializer: {{name: constant, value: {mean:G4}}}"), check.Why);
    }

    [Fact]
    public void HugeRegressionOutputsFailTheInitialLossCheck()
    {
        var check = RunRegression(Regressor(kernelStd: 1000), () => new Adam(0.05), maxEpochs: 1)[0];
        Assert.False(check.Passed, check.ToString());
        Assert.Contains("far larger than the targets", check.Why);
    }

    [Fact]
    public void ARegressorWithARateTooSmallCannotLearnItsSubset()
    {
        var check = RunRegression(Regressor(new ConstantInitializer(150)), () => new Sgd(1e-9), maxEpochs: 5)[2];
        Assert.False(check.Passed, check.ToString());
        Assert.Contains("after 5 epochs", check.Why);
    }

    [Fact]
    public void TheAbsoluteErrorCountsTheSubsetLearnedAtTheSameErrorsAsTheSquaredError()
    {
        // 5% of the squared error is errors at √5% of the mean prediction's; the absolute error is linear in them.
        var check = SanityChecks.Run(Regressor(new ConstantInitializer(150)), LossRegistry.Create("mae"), () => new Sgd(1e-9), Diabetes(), maxEpochs: 2)[2];
        var subset = Diabetes().Target.ToArray().Take(20).Select(v => (double)v).ToArray();
        double mean = subset.Average(), baseline = subset.Average(v => Math.Abs(v - mean));
        Assert.False(check.Passed, check.ToString());
        Assert.Contains(FormattableString.Invariant($"means below {Math.Sqrt(0.05) * baseline:G3} (22% of it)"), check.Why);
    }

    [Fact]
    public void TheDiabetesMaeExamplePassesTheDoctorAtItsDefaults()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = Sparta.Cli.CommandLine.Run(["doctor", Path.Combine(Sparta.Tests.Experiments.RepositoryRoot.Path, "examples", "diabetes-mae.yaml")], output, error);
        Assert.True(code == 0, output.ToString() + error);
        Assert.Contains("pass  overfit a tiny subset", output.ToString());
    }
}
