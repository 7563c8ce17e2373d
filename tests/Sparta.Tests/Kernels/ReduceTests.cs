using Sparta.Kernels;
using Sparta.Kernels.Vectors;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

public class ReduceTests
{
    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(63)] [InlineData(64)] [InlineData(65)] [InlineData(1000)]
    public void SumMatchesDoubleOracle(int n)
    {
        var x = ElementwiseTests.Values(n, 5);
        Assert.Equal(Reduce.SumScalar(x), Reduce.Sum(x), 1e-3f);
        Assert.Equal(Reduce.SumScalar(x), Reduce.Sum<Float128>(x), 1e-3f);
        Assert.Equal(Reduce.SumScalar(x), Reduce.Sum<Float256>(x), 1e-3f);
        Assert.Equal(Reduce.SumScalar(x), Reduce.Sum<Float512>(x), 1e-3f);
    }

    [Fact]
    public void SumDoesNotDependOnAlignment()
    {
        var x = ElementwiseTests.Values(300, 6);
        var shifted = new float[301];
        x.CopyTo(shifted, 1);
        Assert.Equal(Reduce.Sum(x), Reduce.Sum(shifted.AsSpan(1)));
    }

    [Fact]
    public void SumAxisMatchesLoops()
    {
        foreach (var (outer, axis, inner) in new[] { (3, 5, 1), (2, 70, 1), (4, 3, 19), (1, 1, 1), (2, 0, 3) })
        {
            var x = ElementwiseTests.Values(outer * axis * inner, 7);
            var result = new float[outer * inner];
            Reduce.SumAxis(x, outer, axis, inner, result);
            for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double sum = 0;
                for (int a = 0; a < axis; a++) sum += x[(o * axis + a) * inner + i];
                Assert.Equal(sum, result[o * inner + i], 1e-4);
            }
        }
    }

    [Fact]
    public void MaxAxisFindsTheFirstLargest()
    {
        float[] x = [1, 5, 5, 2, /* row 2 */ -3, -1, -2, 3];
        var result = new float[2];
        var indices = new int[2];
        Reduce.MaxAxis(x, 2, 4, 1, result, indices);
        Assert.Equal([5f, 3f], result);
        Assert.Equal([1, 3], indices);

        // Along a middle axis: shape (1, 2, 4) reduced over the 2.
        Reduce.MaxAxis(x, 1, 2, 4, new float[4], indices = new int[4]);
        Assert.Equal([0, 0, 0, 1], indices);
    }

    [Fact]
    public void ArgMaxPropagatesNaN()
    {
        Assert.Equal(2, Reduce.ArgMax([1f, 3f, float.NaN, 4f]));
        Assert.Equal(3, Reduce.ArgMax([1f, 3f, 2f, 4f]));
    }

    [Fact]
    public void BadSizesAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Reduce.SumAxis(new float[10], 2, 3, 2, new float[4]));
        Assert.Contains("2x3x2", e.Message);
    }
}
