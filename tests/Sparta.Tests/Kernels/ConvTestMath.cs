using Sparta.Kernels;

namespace Sparta.Tests.Kernels;

/// <summary>Random data, tolerance checks and central finite differences shared by the convolution, pooling, softmax and activation kernel tests.</summary>
internal static class ConvTestMath
{
    public static float[] RandomFloats(int count, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (random.NextSingle() * 2f - 1f) * scale;
        return values;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    /// <summary>Fails with the first index where |actual − expected| exceeds absolute + relative·|expected|.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double absolute, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= absolute + relative * Math.Abs(expected[i])))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9} (error {error:G3})");
        }
    }

    public static void AssertBitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: {expected[i]:G9} != {actual[i]:G9}");
    }

    /// <summary>
    /// Runs <paramref name="run"/> at one thread and at each of <paramref name="threads"/>, and fails where any
    /// of its results differs in a single bit; the thread count is restored afterwards.
    /// </summary>
    public static void AssertBitIdenticalForThreadCounts(Func<float[][]> run, params int[] threads)
    {
        using var threadCount = Parallelism.Scope(1);
        var reference = run();
        foreach (int count in threads)
        {
            Parallelism.ThreadCount = count;
            var result = run();
            Assert.Equal(reference.Length, result.Length);
            for (int i = 0; i < reference.Length; i++) AssertBitwiseEqual(reference[i], result[i], $"threads {count} result {i}");
        }
    }

    /// <summary>
    /// d/dx_i of Σ_k upstream_k·f(x)_k by central differences in double, for every i. The caller's
    /// <paramref name="forward"/> reads the (perturbed) <paramref name="point"/> and returns f.
    /// </summary>
    public static double[] NumericGradient(double[] point, ReadOnlySpan<float> upstream, Func<double[]> forward, double step = 1e-4)
    {
        var gradient = new double[point.Length];
        var weights = ToDouble(upstream);
        for (int i = 0; i < point.Length; i++)
        {
            double saved = point[i];
            point[i] = saved + step;
            double plus = Dot(weights, forward());
            point[i] = saved - step;
            double minus = Dot(weights, forward());
            point[i] = saved;
            gradient[i] = (plus - minus) / (2 * step);
        }
        return gradient;
    }

    /// <summary>The reference convolution of the (perturbable) double arrays, for <see cref="NumericGradient"/>.</summary>
    public static Func<double[]> ScalarForward(Conv2DShape shape, int batch, double[] input, double[] weights, double[] bias) => () =>
    {
        var output = new double[batch * shape.OutputSize];
        Conv2DScalar.Forward(shape, batch, input, weights, bias, output);
        return output;
    };

    /// <summary>Asserts that <paramref name="action"/> throws an argument error whose one-line message holds every fragment.</summary>
    public static void AssertArgumentError(Action action, params string[] fragments)
    {
        var error = Assert.ThrowsAny<ArgumentException>(action);
        Assert.DoesNotContain('\n', error.Message);
        foreach (string fragment in fragments) Assert.Contains(fragment, error.Message);
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
