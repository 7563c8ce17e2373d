using Sparta.Data.Preprocessing;
using Sparta.Tensors;

namespace Sparta.Tests.Data.Preprocessing;

public class PcaTests
{
    [Fact]
    public void EigenSolverMatchesJacobiAndResidualsVanish()
    {
        var random = new RandomGenerator(21);
        foreach (int n in new[] { 1, 2, 7, 16 })
        {
            var a = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++) a[i, j] = a[j, i] = random.Normal();
            var flat = Enumerable.Range(0, n * n).Select(k => a[k / n, k % n]).ToArray();

            var eigen = SymmetricEigen.Decompose(flat, n);

            Assert.Equal(Naive.JacobiEigenvalues(a), eigen.Values, (x, y) => Math.Abs(x - y) < 1e-9);
            for (int c = 0; c < n; c++)
                for (int i = 0; i < n; i++)
                {
                    double av = 0;
                    for (int j = 0; j < n; j++) av += a[i, j] * eigen.Vectors[j * n + c];
                    Assert.Equal(eigen.Values[c] * eigen.Vectors[i * n + c], av, 9);
                }
            for (int c = 0; c < n; c++)
                for (int d = 0; d < n; d++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += eigen.Vectors[i * n + c] * eigen.Vectors[i * n + d];
                    Assert.Equal(c == d ? 1 : 0, dot, 9);
                }
        }
    }

    [Fact]
    public void EigenSolverHandlesRepeatedEigenvalues()
    {
        var eigen = SymmetricEigen.Decompose([2, 0, 0, 0, 2, 0, 0, 0, 5], 3);
        Assert.Equal([5.0, 2.0, 2.0], eigen.Values);
    }

    [Fact]
    public void ComponentsAreTheCovarianceEigenvectors()
    {
        var x = Naive.Correlated(new RandomGenerator(22), 200, 6);
        var covariance = Naive.Covariance(x);
        var pca = new Pca(components: 3);
        pca.Fit(x);

        Assert.Equal(Naive.JacobiEigenvalues(covariance)[..3], pca.ExplainedVariance.ToArray(), (a, b) => Math.Abs(a - b) < 1e-3 * Math.Abs(a));
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 6; i++)
            {
                double cv = 0;
                for (int j = 0; j < 6; j++) cv += covariance[i, j] * pca.Components[c * 6 + j];
                Assert.Equal(pca.ExplainedVariance[c] * pca.Components[c * 6 + i], cv, 2);
            }
    }

    [Fact]
    public void ProjectionHasDiagonalCovarianceAndAllComponentsReconstruct()
    {
        var x = Naive.Correlated(new RandomGenerator(23), 150, 5);
        var pca = new Pca(components: 5);
        var y = pca.FitTransform(x);

        var cy = Naive.Covariance(y);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                Assert.Equal(i == j ? pca.ExplainedVariance[i] : 0, cy[i, j], 2);
        var back = pca.InverseTransform(y);
        Assert.Equal(x.ToArray(), back.ToArray(), (a, b) => Math.Abs(a - b) < 1e-3f * (1 + Math.Abs(a)));
    }

    [Fact]
    public void VarianceFractionKeepsTheFewestComponentsThatReachIt()
    {
        var x = Naive.Correlated(new RandomGenerator(24), 120, 6);
        var values = Naive.JacobiEigenvalues(Naive.Covariance(x));
        double total = values.Sum();
        foreach (double fraction in new[] { 0.5, 0.9, 0.99 })
        {
            int expected = 1;
            while (values[..expected].Sum() < fraction * total) expected++;
            var pca = new Pca(varianceFraction: fraction);
            pca.Fit(x);
            Assert.Equal(expected, pca.ComponentCount);
            Assert.Equal([120, expected], pca.Transform(x).Shape.ToArray());
        }
    }

    [Fact]
    public void PcaWhiteningGivesIdentityCovariance()
    {
        var x = Naive.Correlated(new RandomGenerator(25), 300, 4);
        var y = new Pca(components: 4, whiten: true, epsilon: 0).FitTransform(x);
        AssertIdentity(Naive.Covariance(y));
    }

    [Fact]
    public void ZcaWhiteningGivesIdentityCovarianceAndKeepsImageShape()
    {
        var images = Naive.Correlated(new RandomGenerator(26), 300, 8).Reshape(300, 2, 2, 2);
        var zca = new Zca(epsilon: 0);
        var y = zca.FitTransform(images);

        Assert.Equal(images.Shape, y.Shape);
        AssertIdentity(Naive.Covariance(y.Reshape(300, 8)));
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) Assert.Equal(zca.Whitening[i * 8 + j], zca.Whitening[j * 8 + i], 12);
    }

    [Fact]
    public void EpsilonDampsSmallComponents()
    {
        var x = Naive.Correlated(new RandomGenerator(27), 200, 3);
        var values = Naive.JacobiEigenvalues(Naive.Covariance(x));
        var y = new Pca(components: 3, whiten: true, epsilon: 10).FitTransform(x);
        var cy = Naive.Covariance(y);
        for (int i = 0; i < 3; i++) Assert.Equal(values[i] / (values[i] + 10), cy[i, i], 2);
    }

    private static void AssertIdentity(double[,] c)
    {
        for (int i = 0; i < c.GetLength(0); i++)
            for (int j = 0; j < c.GetLength(1); j++)
                Assert.Equal(i == j ? 1 : 0, c[i, j], 2);
    }
}
