using Sparta.Configuration;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Tests.Optimizers;

public class ConvergenceTests
{
    /// <summary>f(x) = ½ Σ aᵢ (xᵢ − cᵢ)², an ill-conditioned bowl with its minimum at c.</summary>
    [Theory]
    [InlineData("{\"name\":\"sgd\",\"learning_rate\":0.1}")]
    [InlineData("{\"name\":\"momentum\",\"learning_rate\":0.02}")]
    [InlineData("{\"name\":\"nesterov\",\"learning_rate\":0.02}")]
    [InlineData("{\"name\":\"adagrad\",\"learning_rate\":0.5}")]
    [InlineData("{\"name\":\"rmsprop\",\"learning_rate\":0.01}")]
    [InlineData("{\"name\":\"adam\",\"learning_rate\":0.05}")]
    [InlineData("{\"name\":\"adamw\",\"learning_rate\":0.05,\"weight_decay\":0}")]
    public void ReachesTheMinimumOfAQuadratic(string json)
    {
        var optimizer = (Optimizer)OptimizerRegistry.Create(ComponentConfig.FromJson(json));
        int n = 20;
        var a = Enumerable.Range(0, n).Select(i => 1 + 4.0 * i / n).ToArray();
        var c = Enumerable.Range(0, n).Select(i => Math.Sin(i)).ToArray();
        var x = new Parameter("x", Tensor.Zeros(n));
        for (int step = 0; step < 2000; step++)
        {
            for (int i = 0; i < n; i++) x.Gradient.Span[i] = (float)(a[i] * (x.Value.Span[i] - c[i]));
            optimizer.Step([x]);
        }
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(x.Value.Span[i] - c[i]) < 2e-2, $"{json}: x[{i}] = {x.Value.Span[i]}, minimum at {c[i]}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void LbfgsMinimizesRosenbrock(int n)
    {
        // Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, ..., 1); start at the classic (−1.2, 1, ...).
        var x = new Parameter("x", Tensor.FromArray(Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -1.2f : 1f).ToArray(), n));
        double Rosenbrock()
        {
            var v = x.Value.Span;
            var g = x.Gradient.Span;
            g.Clear();
            double loss = 0;
            for (int i = 0; i < n - 1; i++)
            {
                double a = v[i + 1] - (double)v[i] * v[i], b = 1 - (double)v[i];
                loss += 100 * a * a + b * b;
                g[i] += (float)(-400 * v[i] * a - 2 * b);
                g[i + 1] += (float)(200 * a);
            }
            return loss;
        }
        var result = new Lbfgs(historySize: 8, maxIterations: 500).Minimize([x], Rosenbrock);
        Assert.True(result.Loss < 1e-6, $"loss {result.Loss} after {result.Iterations} iterations ({result.Reason})");
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(x.Value.Span[i] - 1) < 1e-3, $"x[{i}] = {x.Value.Span[i]}");
    }

    [Fact]
    public void LbfgsSolvesAQuadraticInFewIterations()
    {
        // A quasi-Newton method on an n-dimensional quadratic needs about n iterations, far fewer than gradient descent.
        int n = 10;
        var x = new Parameter("x", Tensor.Zeros(n));
        double Quadratic()
        {
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                double d = x.Value.Span[i] - (i - 4.5);
                loss += 0.5 * (i + 1) * d * d;
                x.Gradient.Span[i] = (float)((i + 1) * d);
            }
            return loss;
        }
        var result = new Lbfgs().Minimize([x], Quadratic);
        Assert.True(result.Iterations <= 30, $"{result.Iterations} iterations ({result.Reason})");
        for (int i = 0; i < n; i++) Assert.Equal(i - 4.5, x.Value.Span[i], 3);
    }
}
