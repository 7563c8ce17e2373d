using Sparta.Optimizers;
using Sparta.Schedules;
using Sparta.Tensors;

namespace Sparta.Tests.Optimizers;

/// <summary>
/// Each optimizer's first three updates against its formula written out here in double precision.
/// 37 values run both the vector loop (16, 8 or 4 lanes) and the one-element tail.
/// </summary>
public class FirstUpdatesTests
{
    private const int Size = 37;
    private const int Steps = 3;

    [Fact]
    public void Sgd() => Compare(new Sgd(0.1), (x, g, t) => { for (int i = 0; i < Size; i++) x[i] -= 0.1 * g[i]; });

    [Fact]
    public void MomentumIsTheSlidesVelocityForm()
    {
        var v = new double[Size];
        Compare(new Sgd(0.05, momentum: 0.9), (x, g, t) =>
        {
            for (int i = 0; i < Size; i++)
            {
                v[i] = 0.9 * v[i] - 0.05 * g[i]; // v = mu * v - learning_rate * dx
                x[i] += v[i];                   // x += v
            }
        });
    }

    [Fact]
    public void NesterovStepsFromTheLookAheadPoint()
    {
        var v = new double[Size];
        Compare(new Sgd(0.05, momentum: 0.8, nesterov: true), (x, g, t) =>
        {
            for (int i = 0; i < Size; i++)
            {
                v[i] = 0.8 * v[i] - 0.05 * g[i];
                x[i] += 0.8 * v[i] - 0.05 * g[i];
            }
        });
    }

    [Fact]
    public void DampeningEqualToMomentumIsTheExponentialAverageForm()
    {
        var average = new double[Size];
        Compare(new Sgd(0.05, momentum: 0.7, dampening: 0.7), (x, g, t) =>
        {
            for (int i = 0; i < Size; i++)
            {
                average[i] = 0.3 * g[i] + 0.7 * average[i]; // V = (1 − β)·∇L + β·V
                x[i] -= 0.05 * average[i];                  // w −= α·V
            }
        });
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.0)]
    public void Adagrad(double initial)
    {
        var cache = Enumerable.Repeat(initial, Size).ToArray();
        Compare(new Adagrad(0.1, initialAccumulatorValue: initial, epsilon: 1e-6), (x, g, t) =>
        {
            for (int i = 0; i < Size; i++)
            {
                cache[i] += g[i] * g[i];
                x[i] -= 0.1 * g[i] / (Math.Sqrt(cache[i]) + 1e-6);
            }
        });
    }

    [Fact]
    public void RmsProp()
    {
        var cache = new double[Size];
        Compare(new RmsProp(0.01, rho: 0.95, epsilon: 1e-6), (x, g, t) =>
        {
            for (int i = 0; i < Size; i++)
            {
                cache[i] = 0.95 * cache[i] + 0.05 * g[i] * g[i];
                x[i] -= 0.01 * g[i] / (Math.Sqrt(cache[i]) + 1e-6);
            }
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Adam(bool biasCorrection)
    {
        var m = new double[Size];
        var v = new double[Size];
        Compare(new Adam(0.01, beta1: 0.8, beta2: 0.9, epsilon: 1e-6, biasCorrection: biasCorrection), (x, g, t) =>
        {
            for (int i = 0; i < Size; i++)
            {
                m[i] = 0.8 * m[i] + 0.2 * g[i];
                v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i];
                double mHat = biasCorrection ? m[i] / (1 - Math.Pow(0.8, t)) : m[i];
                double vHat = biasCorrection ? v[i] / (1 - Math.Pow(0.9, t)) : v[i];
                x[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-6);
            }
        });
    }

    [Fact]
    public void AdamWDecaysTheWeightsApartFromTheGradient()
    {
        var m = new double[Size];
        var v = new double[Size];
        Compare(new AdamW(0.01, weightDecay: 0.1), (x, g, t) =>
        {
            for (int i = 0; i < Size; i++)
            {
                x[i] -= 0.01 * 0.1 * x[i];
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                x[i] -= 0.01 * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-7);
            }
        });
    }

    [Fact]
    public void ScheduleGivesTheRateOfEachStep()
    {
        var schedule = new ExponentialDecay(0.2, decaySteps: 1, decayRate: 0.5);
        Compare(new Sgd(schedule), (x, g, t) =>
        {
            double rate = 0.2 * Math.Pow(0.5, t - 1);
            for (int i = 0; i < Size; i++) x[i] -= rate * g[i];
        });
    }

    [Fact]
    public void ClipValueClampsEachElement() =>
        Compare(new Sgd(0.1, options: new OptimizerOptions { ClipValue = 0.5 }), (x, g, t) =>
        {
            for (int i = 0; i < Size; i++) x[i] -= 0.1 * Math.Clamp(g[i], -0.5, 0.5);
        });

    [Fact]
    public void ClipNormRescalesTheGradient() =>
        Compare(new Sgd(0.1, options: new OptimizerOptions { ClipNorm = 1.0 }), (x, g, t) =>
        {
            double norm = Math.Sqrt(g.Sum(e => e * e));
            double scale = norm > 1 ? 1 / norm : 1;
            for (int i = 0; i < Size; i++) x[i] -= 0.1 * scale * g[i];
        });

    [Fact]
    public void GlobalClipNormRescalesAllGradientsTogether()
    {
        var rng = new RandomGenerator(5);
        var a = new Parameter("a", Random(rng, 20));
        var b = new Parameter("b", Random(rng, 30));
        var expectedA = a.Value.ToArray().Select(e => (double)e).ToArray();
        var expectedB = b.Value.ToArray().Select(e => (double)e).ToArray();
        var optimizer = new Sgd(0.1, options: new OptimizerOptions { GlobalClipNorm = 1.0 });
        for (int t = 1; t <= Steps; t++)
        {
            rng.FillNormal(a.Gradient.Span, 0, 1);
            rng.FillNormal(b.Gradient.Span, 0, 1);
            double norm = Math.Sqrt(a.Gradient.ToArray().Concat(b.Gradient.ToArray()).Sum(e => (double)e * e));
            double scale = Math.Min(1, 1 / norm);
            for (int i = 0; i < 20; i++) expectedA[i] -= 0.1 * scale * a.Gradient.Span[i];
            for (int i = 0; i < 30; i++) expectedB[i] -= 0.1 * scale * b.Gradient.Span[i];
            optimizer.Step([a, b]);
        }
        AssertClose(expectedA, a.Value.ToArray());
        AssertClose(expectedB, b.Value.ToArray());
    }

    /// <summary>Runs <see cref="Steps"/> updates with random gradients; <paramref name="formula"/> updates the double copy for step t (1-based).</summary>
    private static void Compare(Optimizer optimizer, Action<double[], double[], int> formula)
    {
        var rng = new RandomGenerator(42);
        var parameter = new Parameter("w", Random(rng, Size));
        double[] expected = parameter.Value.ToArray().Select(e => (double)e).ToArray();
        for (int t = 1; t <= Steps; t++)
        {
            rng.FillNormal(parameter.Gradient.Span, 0, 2);
            double[] gradient = parameter.Gradient.ToArray().Select(e => (double)e).ToArray();
            formula(expected, gradient, t);
            optimizer.Step([parameter]);
            AssertClose(expected, parameter.Value.ToArray());
        }
        Assert.Equal(Steps, optimizer.Iterations);
    }

    private static Tensor Random(RandomGenerator rng, int size)
    {
        var t = Tensor.Zeros(size);
        rng.FillNormal(t.Span, 0, 1);
        return t;
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
