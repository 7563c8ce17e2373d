using Sparta.Kernels;
using Sparta.Kernels.Vectors;
using static Sparta.Tests.Kernels.ConvTestMath;

namespace Sparta.Tests.Kernels;

public class SoftmaxTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 10)]
    [InlineData(4, 17)]
    [InlineData(2, 33)]
    public void ForwardMatchesTheFormula(int rows, int cols)
    {
        // Large logits: an unshifted exp would overflow.
        var x = RandomFloats(rows * cols, 1, scale: 60f);
        for (int i = 0; i < x.Length; i += 3) x[i] += 500f;
        float[] y = new float[x.Length], logY = new float[x.Length];
        SoftmaxKernel.Forward(rows, cols, x, y);
        SoftmaxKernel.LogForward(rows, cols, x, logY);
        double[] expected = new double[x.Length], expectedLog = new double[x.Length];
        SoftmaxScalar.Forward(rows, cols, ToDouble(x), expected);
        SoftmaxScalar.LogForward(rows, cols, ToDouble(x), expectedLog);
        AssertClose(expected, y, 1e-6, 1e-5, "softmax");
        AssertClose(expectedLog, logY, 1e-4, 1e-6, "log softmax");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(17)]
    [InlineData(35)]
    public void EveryVectorWidthFindsTheMaximumAndSumsTheExponentials(int cols)
    {
        var x = RandomFloats(cols, 2, scale: 30f);
        CheckRow<Float128>(x);
        CheckRow<Float256>(x);
        CheckRow<Float512>(x);
    }

    private static unsafe void CheckRow<TVector>(float[] x) where TVector : struct, IFloatVector<TVector>
    {
        float max = x.Max();
        var exponentials = x.Select(v => Math.Exp(v - (double)max)).ToArray();
        var terms = new float[x.Length];
        fixed (float* row = x, t = terms)
        {
            Assert.Equal(max, SoftmaxKernel.RowMax<TVector>(row, x.Length));
            float sum = SoftmaxKernel.ExpSum<TVector>(row, max, t, x.Length);
            Assert.Equal(exponentials.Sum(), sum, 1e-5 * exponentials.Sum());
            SoftmaxKernel.Scale<TVector>(t, 2f, x.Length);
        }
        AssertClose(exponentials.Select(e => 2 * e).ToArray(), terms, 1e-6, 1e-5, $"exponentials, {typeof(TVector).Name}");
    }

    [Fact]
    public void ForwardRunsInPlace()
    {
        var x = RandomFloats(3 * 21, 2, scale: 4f);
        var copy = x.ToArray();
        var expected = new float[x.Length];
        SoftmaxKernel.LogForward(3, 21, copy, expected);
        SoftmaxKernel.LogForward(3, 21, x, x);
        AssertBitwiseEqual(expected, x, "in place");
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 19)]
    public void BackwardMatchesFiniteDifferences(int rows, int cols)
    {
        var x = RandomFloats(rows * cols, 3, scale: 3f);
        var upstream = RandomFloats(x.Length, 4);
        float[] y = new float[x.Length], logY = new float[x.Length], dx = new float[x.Length], logDx = new float[x.Length];
        SoftmaxKernel.Forward(rows, cols, x, y);
        SoftmaxKernel.LogForward(rows, cols, x, logY);
        SoftmaxKernel.Backward(rows, cols, y, upstream, dx);
        SoftmaxKernel.LogBackward(rows, cols, logY, upstream, logDx);
        var point = ToDouble(x);
        double[] Plain() { var o = new double[x.Length]; SoftmaxScalar.Forward(rows, cols, point, o); return o; }
        double[] Log() { var o = new double[x.Length]; SoftmaxScalar.LogForward(rows, cols, point, o); return o; }
        AssertClose(NumericGradient(point, upstream, Plain), dx, 1e-5, 1e-3, "softmax gradient");
        AssertClose(NumericGradient(point, upstream, Log), logDx, 1e-5, 1e-3, "log softmax gradient");
    }

    [Theory]
    [InlineData(6, 10)]
    [InlineData(3, 23)]
    [InlineData(1, 1)]
    public void SparseCrossEntropyMatchesTheFormulaAndItsGradient(int rows, int classes)
    {
        var logits = RandomFloats(rows * classes, 5, scale: 5f);
        var labels = Enumerable.Range(0, rows).Select(r => (r * 7 + 3) % classes).ToArray();
        var oneHot = new double[logits.Length];
        for (int r = 0; r < rows; r++) oneHot[r * classes + labels[r]] = 1;
        var grad = new float[logits.Length];
        double loss = SoftmaxCrossEntropy.Sparse(rows, classes, logits, labels, grad, upstream: 0.5f);
        var point = ToDouble(logits);
        Assert.Equal(SoftmaxScalar.CrossEntropy(rows, classes, point, oneHot), loss, 1e-5);
        var expected = NumericGradient(point, new[] { 0.5f }, () => new[] { SoftmaxScalar.CrossEntropy(rows, classes, point, oneHot) });
        AssertClose(expected, grad, 1e-5, 1e-3, "gradient");
    }

    [Theory]
    [InlineData(5, 10)]
    [InlineData(2, 19)]
    public void DenseCrossEntropyMatchesTheFormulaAndItsGradient(int rows, int classes)
    {
        var logits = RandomFloats(rows * classes, 6, scale: 5f);
        // Soft targets whose rows need not sum to one (label smoothing, mixup and weighted targets do not).
        var targets = RandomFloats(rows * classes, 7).Select(v => Math.Abs(v) / 3f).ToArray();
        var grad = new float[logits.Length];
        double loss = SoftmaxCrossEntropy.Dense(rows, classes, logits, targets, grad);
        var point = ToDouble(logits);
        var t = ToDouble(targets);
        Assert.Equal(SoftmaxScalar.CrossEntropy(rows, classes, point, t), loss, 1e-5);
        var expected = NumericGradient(point, new[] { 1f }, () => new[] { SoftmaxScalar.CrossEntropy(rows, classes, point, t) });
        AssertClose(expected, grad, 1e-5, 1e-3, "gradient");
    }

    [Fact]
    public void CrossEntropyWithoutAGradientBufferOnlyReturnsTheLoss()
    {
        var logits = RandomFloats(4 * 10, 8, scale: 3f);
        var labels = new[] { 1, 0, 9, 4 };
        Assert.Equal(SoftmaxCrossEntropy.Sparse(4, 10, logits, labels, new float[40]), SoftmaxCrossEntropy.Sparse(4, 10, logits, labels, default));
    }

    [Fact]
    public void BadArgumentsAreNamedWithTheValueReceived()
    {
        AssertArgumentError(() => SoftmaxCrossEntropy.Sparse(2, 3, new float[6], new[] { 0, 3 }, default), "labels", "label 3 at row 1");
        AssertArgumentError(() => SoftmaxCrossEntropy.Sparse(2, 3, new float[6], new[] { -1, 0 }, default), "labels", "label -1 at row 0");
        AssertArgumentError(() => SoftmaxCrossEntropy.Sparse(2, 3, new float[6], new[] { 0 }, default), "labels", "got 1");
        AssertArgumentError(() => SoftmaxCrossEntropy.Dense(2, 3, new float[5], new float[6], default), "logits", "2x3=6", "got 5");
        AssertArgumentError(() => SoftmaxCrossEntropy.Dense(2, 3, new float[6], new float[6], new float[4]), "logitsGrad", "got 4");
        AssertArgumentError(() => SoftmaxKernel.Forward(2, 0, new float[0], new float[0]), "cols", "got 0");
        AssertArgumentError(() => SoftmaxKernel.Forward(2, 3, new float[6], new float[5]), "output", "got 5");
        AssertArgumentError(() => SoftmaxKernel.LogBackward(2, 3, new float[6], new float[7], new float[6]), "outputGrad", "got 7");
    }
}
