using Sparta.Configuration;
using Sparta.Losses;
using Sparta.Tensors;

namespace Sparta.Tests.Losses;

/// <summary>Every loss against its formula computed here in double, its gradient against finite differences of that formula, and its config round trip.</summary>
public class LossTests
{
    private sealed record Case(Func<Loss> Create, Func<double[], double[], int, double> Formula, Func<RandomGenerator, double> Prediction, Func<RandomGenerator, double> Target, bool Sparse = false);

    private const int Rows = 4, Columns = 3;

    private static double Mean(IEnumerable<double> values) => values.Average();

    private static IEnumerable<double[]> RowsOf(double[] values, int width) => values.Chunk(width);

    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    private static double[] SoftmaxRow(double[] z)
    {
        double sum = z.Sum(Math.Exp);
        return z.Select(v => Math.Exp(v) / sum).ToArray();
    }

    private static double Any(RandomGenerator r) => r.Uniform(-2, 2);
    private static double Probability(RandomGenerator r) => r.Uniform(0.05, 0.95);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["mean_squared_error"] = new(() => new MeanSquaredError(), (p, t, _) => Mean(p.Zip(t, (a, b) => (a - b) * (a - b))), Any, Any),
        ["mean_absolute_error"] = new(() => new MeanAbsoluteError(), (p, t, _) => Mean(p.Zip(t, (a, b) => Math.Abs(a - b))), Any, Any),
        ["huber"] = new(() => new Huber(0.7), (p, t, _) => Mean(p.Zip(t, (a, b) =>
            Math.Abs(a - b) <= 0.7 ? 0.5 * (a - b) * (a - b) : 0.7 * (Math.Abs(a - b) - 0.35))), Any, Any),
        ["categorical_crossentropy"] = new(() => new CategoricalCrossEntropy(), (p, t, w) =>
            Mean(RowsOf(p, w).Zip(RowsOf(t, w), (z, y) => -SoftmaxRow(z).Zip(y, (q, target) => target * Math.Log(q)).Sum())), Any, Probability),
        ["categorical_crossentropy_probabilities"] = new(() => new CategoricalCrossEntropy(fromLogits: false), (p, t, w) =>
            Mean(RowsOf(p, w).Zip(RowsOf(t, w), (q, y) => -q.Zip(y, (a, b) => b * Math.Log(a)).Sum())), Probability, Probability),
        ["sparse_categorical_crossentropy"] = new(() => new SparseCategoricalCrossEntropy(), (p, t, w) =>
            Mean(RowsOf(p, w).Select((z, row) => -Math.Log(SoftmaxRow(z)[(int)t[row]]))), Any, r => r.NextInt(Columns), Sparse: true),
        ["binary_crossentropy"] = new(() => new BinaryCrossEntropy(), (p, t, _) =>
            Mean(p.Zip(t, (z, y) => -(y * Math.Log(1 / (1 + Math.Exp(-z))) + (1 - y) * Math.Log(1 - 1 / (1 + Math.Exp(-z)))))), Any, r => r.NextInt(2)),
        ["binary_crossentropy_probabilities"] = new(() => new BinaryCrossEntropy(fromLogits: false), (p, t, _) =>
            Mean(p.Zip(t, (q, y) => -(y * Math.Log(q) + (1 - y) * Math.Log(1 - q)))), Probability, Probability),
        ["hinge"] = new(() => new Hinge(), (p, t, _) => Mean(p.Zip(t, (a, b) => Math.Max(0, 1 - (b == 0 ? -1 : b) * a))), Any, r => r.NextInt(2) * 2 - 1),
        ["hinge_zero_one_targets"] = new(() => new Hinge(), (p, t, _) => Mean(p.Zip(t, (a, b) => Math.Max(0, 1 - (2 * b - 1) * a))), Any, r => r.NextInt(2)),
        ["kl_divergence"] = new(() => new KLDivergence(), (p, t, w) =>
            Mean(RowsOf(p, w).Zip(RowsOf(t, w), (q, y) => q.Zip(y, (a, b) => b * Math.Log(b / a)).Sum())), Probability, Probability),
        ["cosine_similarity"] = new(() => new CosineSimilarity(), (p, t, w) =>
            -Mean(RowsOf(p, w).Zip(RowsOf(t, w), (a, b) => a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(y => y * y)))), Any, Any),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    private static (double[] Predictions, double[] Targets) Data(Case c, ulong seed)
    {
        var random = new RandomGenerator(seed);
        var p = Enumerable.Range(0, Rows * Columns).Select(_ => (double)(float)c.Prediction(random)).ToArray();
        var t = Enumerable.Range(0, c.Sparse ? Rows : Rows * Columns).Select(_ => (double)(float)c.Target(random)).ToArray();
        return (p, t);
    }

    private static Tensor ToTensor(double[] values, params int[] shape) => Tensor.FromArray(values.Select(v => (float)v).ToArray(), shape);

    [Theory, MemberData(nameof(Names))]
    public void ValueMatchesTheFormula(string name)
    {
        var c = Cases[name];
        var (p, t) = Data(c, 1);
        var value = c.Create().Compute(ToTensor(p, Rows, Columns), c.Sparse ? ToTensor(t, Rows) : ToTensor(t, Rows, Columns));
        Assert.Equal(0, value.Rank);
        double expected = c.Formula(p, t, Columns);
        Assert.True(Math.Abs(expected - value.Item()) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{name}: formula {expected}, loss {value.Item()}");
    }

    [Theory, MemberData(nameof(Names))]
    public void GradientMatchesFiniteDifferencesOfTheFormula(string name)
    {
        var c = Cases[name];
        var (p, t) = Data(c, 2);
        var predictions = ToTensor(p, Rows, Columns);
        predictions.RequiresGrad = true;
        c.Create().Compute(predictions, c.Sparse ? ToTensor(t, Rows) : ToTensor(t, Rows, Columns)).Backward();
        for (int i = 0; i < p.Length; i++)
        {
            double saved = p[i], h = 1e-6;
            p[i] = saved + h;
            double up = c.Formula(p, t, Columns);
            p[i] = saved - h;
            double down = c.Formula(p, t, Columns);
            p[i] = saved;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - predictions.Grad!.Span[i]) <= 1e-3 * Math.Max(1, Math.Abs(numeric)),
                $"{name}: d/dp[{i}] finite differences {numeric}, tape {predictions.Grad.Span[i]}");
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void ConfigRoundTripsThroughTheRegistry(string name)
    {
        var loss = Cases[name].Create();
        var config = loss.GetConfig();
        Assert.Equal(config, LossRegistry.Create(ComponentConfig.FromJson(config.ToJson())).GetConfig());
    }

    [Fact]
    public void CrossEntropyFromLogitsIsStableForLargeLogits()
    {
        var logits = Tensor.FromArray([1000f, -1000f, 0f, 0f], 2, 2);
        float value = new SparseCategoricalCrossEntropy().Compute(logits, Tensor.FromArray([1f, 0f], 2)).Item();
        Assert.Equal((2000 + Math.Log(2)) / 2, value, 3);
        float binary = new BinaryCrossEntropy().Compute(Tensor.FromArray([500f, -500f], 2, 1), Tensor.FromArray([0f, 0f], 2, 1)).Item();
        Assert.Equal(250, binary, 3);
    }

    [Fact]
    public void BadTargetsAndNamesFailWithTheValue()
    {
        var shape = Assert.Throws<ArgumentException>(() => new MeanSquaredError().Compute(Tensor.Zeros(2, 3), Tensor.Zeros(2, 2)));
        Assert.Contains("predictions of shape (2, 3) and targets of shape (2, 2)", shape.Message);
        var label = Assert.Throws<ArgumentOutOfRangeException>(() => new SparseCategoricalCrossEntropy().Compute(Tensor.Zeros(2, 3), Tensor.FromArray([1f, 3f], 2)));
        Assert.Contains("target 3 at row 1", label.Message);
        var unknown = Assert.Throws<ArgumentException>(() => LossRegistry.Create("mean_sqared_error"));
        Assert.Contains("mean_squared_error", unknown.Message);
    }
}
