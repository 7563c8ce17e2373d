using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Diagnostics;
using Sparta.Experiments;
using Sparta.Initializers;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Losses;

/// <summary>
/// A cross-entropy on a model that ends in a softmax (or a sigmoid) reads probabilities, as Keras'
/// from_logits false does: its value and gradient against formulas computed here in double, a model
/// with the softmax against the same model without it, and the doctor's expected start on both.
/// </summary>
public class ProbabilityOutputTests
{
    private const int Rows = 5, Classes = 4;

    /// <summary>Logits on the tape; the last row is far apart, so its probabilities underflow in float.</summary>
    private static Tensor Logits()
    {
        var z = Tensor.Zeros(Rows, Classes);
        new RandomGenerator(7).FillUniform(z.Span, -2, 2);
        for (int k = 0; k < Classes; k++) z.Span[(Rows - 1) * Classes + k] = 40f * k;
        z.RequiresGrad = true;
        return z;
    }

    private static readonly int[] Labels = [0, 3, 1, 2, 0];

    /// <summary>−log softmax(z)[label], mean over rows, in double by the log-sum-exp: no probability is ever formed.</summary>
    private static double SparseFormula(double[] z) => Enumerable.Range(0, Rows).Average(r =>
    {
        var row = z.Skip(r * Classes).Take(Classes).ToArray();
        double max = row.Max();
        return max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[Labels[r]];
    });

    private static Tensor SparseTargets() => Tensor.FromArray(Labels.Select(l => (float)l).ToArray(), Rows);

    private static Tensor OneHotTargets()
    {
        var t = Tensor.Zeros(Rows, Classes);
        for (int r = 0; r < Rows; r++) t.Span[r * Classes + Labels[r]] = 1f;
        return t;
    }

    public static TheoryData<string> CategoricalLosses => ["sparse_categorical_crossentropy", "categorical_crossentropy"];

    private static Tensor Compute(string loss, Tensor predictions) => loss == "sparse_categorical_crossentropy"
        ? new SparseCategoricalCrossEntropy(fromLogits: false).Compute(predictions, SparseTargets())
        : new CategoricalCrossEntropy(fromLogits: false).Compute(predictions, OneHotTargets());

    [Theory, MemberData(nameof(CategoricalLosses))]
    public void OnASoftmaxOutputTheLossAndItsGradientAreThoseOfItsLogits(string loss)
    {
        var z = Logits();
        var value = Compute(loss, new Softmax().Apply(z));
        var values = z.ToArray().Select(v => (double)v).ToArray();
        double expected = SparseFormula(values);
        // The far row's label has probability e^-120: clipped probabilities would cap its loss at −ln 1e-7 ≈ 16.
        Assert.True(expected > 20, $"{expected}");
        Assert.Equal(expected, value.Item(), 1e-5 * expected);

        value.Backward();
        var gradient = z.Grad!.ToArray();
        const double h = 1e-4;
        for (int i = 0; i < values.Length; i++)
        {
            var up = (double[])values.Clone();
            var down = (double[])values.Clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (SparseFormula(up) - SparseFormula(down)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) < 1e-4, $"d/dz[{i}]: finite differences {numeric}, tape {gradient[i]}");
        }
    }

    [Fact]
    public void ProbabilitiesNotFromASoftmaxActivationAreReadAsTheyAreClipped()
    {
        var p = Tensor.FromArray([0.7f, 0.2f, 0.1f, 0f, 0.25f, 0.25f, 0.25f, 0.25f], 2, Classes);
        var value = new SparseCategoricalCrossEntropy(fromLogits: false).Compute(p, Tensor.FromArray([3f, 0f], 2)).Item();
        Assert.Equal((-Math.Log(1e-7) - Math.Log(0.25)) / 2, value, 1e-4);
    }

    [Fact]
    public void OnASigmoidOutputBinaryCrossEntropyIsThatOfItsLogits()
    {
        var z = Tensor.FromArray([-30f, -1.5f, 0.2f, 3f, 25f, 40f], 6, 1);
        z.RequiresGrad = true;
        var t = Tensor.FromArray([1f, 0f, 1f, 1f, 0f, 1f], 6, 1);
        var value = new BinaryCrossEntropy(fromLogits: false).Compute(new Sigmoid().Apply(z), t);
        // −[t log σ(z) + (1 − t) log(1 − σ(z))] = log(1 + e^z) − t·z, written stably in double.
        double Formula(double[] zs) => zs.Select((v, i) => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v))) - t.Span[i] * v).Average();
        var values = z.ToArray().Select(v => (double)v).ToArray();
        Assert.Equal(Formula(values), value.Item(), 1e-5 * Formula(values));
        value.Backward();
        for (int i = 0; i < values.Length; i++)
        {
            double sigmoid = 1 / (1 + Math.Exp(-values[i]));
            Assert.Equal((sigmoid - t.Span[i]) / values.Length, z.Grad!.Span[i], 1e-6);
        }
    }

    /// <summary>A dense or 1×1 convolution with kernel 1 and bias 0 and a sigmoid in the layer: its logits are its inputs.</summary>
    private static Layer IdentityMapWithSigmoid(string host) => host == "dense"
        ? new Dense(1, new Sigmoid(), kernelInitializer: new ConstantInitializer(1))
        : new Conv2D(1, 1, activation: new Sigmoid(), kernelInitializer: new ConstantInitializer(1));

    public static TheoryData<string> SigmoidHosts => ["dense", "conv2d"];

    [Theory, MemberData(nameof(SigmoidHosts))]
    public void AnInLayerSigmoidGivesSaturatedLogitsTheFormulasGradient(string host)
    {
        // σ(25) and σ(40) round to 1 and σ(−30) to 1e-13 in float: probabilities clipped to [1e-7, 1 − 1e-7] pass them no gradient.
        float[] logits = [-30f, -1.5f, 0.2f, 3f, 25f, 40f];
        float[] targets = [1f, 0f, 1f, 1f, 0f, 1f];
        int[] sample = host == "dense" ? [1] : [1, 1, 1];
        var layer = IdentityMapWithSigmoid(host);
        _ = new Sequential(sample, [layer]);
        var x = Tensor.FromArray(logits, [logits.Length, .. sample]);
        x.RequiresGrad = true;
        var t = Tensor.FromArray(targets, [logits.Length, .. sample]);
        var value = new BinaryCrossEntropy(fromLogits: false).Compute(layer.Call(x, training: true), t);

        // log(1 + e^z) − t·z, written stably in double; its derivative σ(z) − t, over the mean's n.
        double expected = logits.Select((z, i) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - targets[i] * z).Average();
        // Clipped probabilities would cap the two saturated wrong rows at −ln 1e-7 ≈ 16 each, a mean under 6.
        Assert.True(expected > 9, $"{expected}");
        Assert.Equal(expected, value.Item(), 1e-5 * expected);
        value.Backward();
        for (int i = 0; i < logits.Length; i++)
            Assert.Equal((1 / (1 + Math.Exp(-logits[i])) - targets[i]) / logits.Length, x.Grad!.Span[i], 1e-6);
    }

    [Fact]
    public void APooledBackwardGivesTheBypassedProbabilitiesBack()
    {
        var pool = new TensorPool();
        var w = Tensor.Zeros(64, 128);
        new RandomGenerator(1).FillUniform(w.Span, -0.1, 0.1);
        w.RequiresGrad = true;
        var x = Tensor.Zeros(64, 64);
        new RandomGenerator(2).FillUniform(x.Span, -1, 1);
        var labels = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (float)(i % 128)).ToArray(), 64);
        using var _ = pool.Use();
        pool.NextStep();
        var probabilities = new Softmax().Apply(x.MatMul(w));   // 8,192 floats: a block of the pool
        var loss = new SparseCategoricalCrossEntropy(fromLogits: false).Compute(probabilities, labels);
        // Read before backward: once given back, the tensor object and its buffer's storage object may serve later tensors.
        var (storage, loan) = (probabilities.Storage, probabilities.Storage.Loan);
        loss.Backward(retainGraph: false);
        Assert.True(storage.IsFree || storage.Loan != loan, "the softmax output no gradient reached stayed lent from the pool");
        Assert.NotNull(w.Grad);
    }

    [Fact]
    public void FromLogitsIsReadFromTheOutputUnlessTheConfigSaysIt()
    {
        var softmax = new Sequential([3], [new Dense(4, "softmax")]);
        var separate = new Sequential([3], [new Dense(4), new ActivationLayer("softmax")]);
        var sigmoid = new Sequential([3], [new Dense(1, "sigmoid")]);
        var logits = new Sequential([3], [new Dense(4)]);
        bool? FromLogits(ComponentConfig config, Model model) => OutputObjective.Loss(config, model).Parameters.TryGetValue("from_logits", out var v) ? (bool)v : null;
        Assert.False(FromLogits("sparse_categorical_crossentropy", softmax));
        Assert.False(FromLogits("categorical_crossentropy", separate));
        Assert.False(FromLogits("binary_crossentropy", sigmoid));
        Assert.True(FromLogits("sparse_categorical_crossentropy", logits));
        Assert.True(FromLogits(ComponentConfig.FromYaml("{name: sparse_categorical_crossentropy, from_logits: true}"), softmax));
        Assert.Null(FromLogits("mse", softmax));
        Assert.False(((SparseCategoricalCrossEntropy)OutputObjective.Create("sparse_categorical_crossentropy", softmax)).FromLogits);
    }

    private const string Digits = """
        seed: 3
        epochs: 3
        batch_size: 64
        data: {dataset: digits, test_split: 0.2, validation_split: 0.1, preprocessing: [{name: min_max, scope: all}]}
        metrics: [accuracy]
        optimizer: {name: adam, learning_rate: 0.01}
        """;

    private static ExperimentSpec Spec(string loss, string lastLayers) => Experiment.Parse(
        Digits + $"\nloss: {loss}\nmodel: {{layers: [flatten, {{name: dense, units: 32, activation: relu}}, {lastLayers}]}}\n",
        "exp.yaml", Path.GetTempPath()).Spec();

    public static TheoryData<string, string> WithAndWithoutTheSoftmax => new()
    {
        { "sparse_categorical_crossentropy", "{name: dense, units: 10, activation: softmax}" },
        { "sparse_categorical_crossentropy", "{name: dense, units: 10}, {name: activation, activation: softmax}" },
        { "categorical_crossentropy", "{name: dense, units: 10, activation: softmax}" },
    };

    /// <summary>The same history, test scores and weights, bit for bit.</summary>
    private static void AssertTrainedAlike(RunResult expected, RunResult actual)
    {
        foreach (string key in new[] { "loss", "accuracy", "val_loss", "val_accuracy" })
            Assert.Equal(expected.Trainer.History[key], actual.Trainer.History[key]);
        Assert.Equal(expected.TestScores["loss"], actual.TestScores["loss"]);
        Assert.Equal(expected.TestScores["accuracy"], actual.TestScores["accuracy"]);
        var a = expected.Trainer.Model.GetWeights();
        var b = actual.Trainer.Model.GetWeights();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, value) in a) Assert.Equal(value.ToArray(), b[name].ToArray());
    }

    [Theory, MemberData(nameof(WithAndWithoutTheSoftmax))]
    public void AModelWithTheSoftmaxTrainsAsTheSameModelWithoutIt(string loss, string withSoftmax)
    {
        RunResult Train(string last) => new ExperimentRunner(Spec(loss, last), Path.GetTempPath()).Run(TextWriter.Null, verbose: false, diagnose: false);
        var logits = Train("{name: dense, units: 10}");
        // The same weights: the softmax changed the output, not what the loss and its gradient saw.
        AssertTrainedAlike(logits, Train(withSoftmax));
        Assert.True(logits.TestScores["accuracy"] > 0.8, $"test accuracy {logits.TestScores["accuracy"]}");
    }

    [Fact]
    public void ADenseLayersSigmoidTrainsBitForBitAsASeparateSigmoidLayer()
    {
        RunResult Train(string last) => new ExperimentRunner(Experiment.Parse($$"""
            seed: 5
            epochs: 3
            batch_size: 32
            data: {dataset: breast_cancer, test_split: 0.2, validation_split: 0.1, one_hot: true, preprocessing: [standardize]}
            model: {layers: [{name: dense, units: 8, activation: tanh}, {{last}}]}
            loss: binary_crossentropy
            metrics: [accuracy]
            optimizer: {name: adam, learning_rate: 0.05}
            """, "exp.yaml", Path.GetTempPath()).Spec(), Path.GetTempPath()).Run(TextWriter.Null, verbose: false, diagnose: false);
        // One sigmoid per class against the one-hot rows: each output a binary classifier of its own.
        var inLayer = Train("{name: dense, units: 2, activation: sigmoid}");
        AssertTrainedAlike(Train("{name: dense, units: 2}, {name: activation, activation: sigmoid}"), inLayer);
        Assert.True(inLayer.TestScores["accuracy"] > 0.9, $"test accuracy {inLayer.TestScores["accuracy"]}");
    }

    [Fact]
    public void TheDoctorExpectsLnCAtTheStartWithOrWithoutTheSoftmax()
    {
        SanityChecks.Check InitialLoss(string last) =>
            ExperimentSanityChecks.Run(Spec("sparse_categorical_crossentropy", last), Path.GetTempPath(), maxEpochs: 1).Single(c => c.Name == "initial loss");
        var logits = InitialLoss("{name: dense, units: 10}");
        var probabilities = InitialLoss("{name: dense, units: 10, activation: softmax}");
        Assert.True(probabilities.Passed, probabilities.Why);
        Assert.Equal(logits.Why, probabilities.Why);
        Assert.Contains("ln 10 = 2.303", probabilities.Why);
    }
}
