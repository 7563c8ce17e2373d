using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Optimizers;

/// <summary>
/// Limited-memory BFGS (Nocedal 1980; Liu and Nocedal 1989) for small full-batch problems: the
/// search direction comes from the two-loop recursion over the last <c>history_size</c> pairs
/// (s = Δx, y = Δg), scaled by γ = sᵀy / yᵀy, and each step is found by a backtracking line search
/// with the Armijo condition. The closure computes the loss at the parameters' current values and
/// their gradients (typically <c>loss.Backward(); return loss.Item();</c>); the gradients are
/// cleared before each call. Works in double precision; parameters stay float32.
/// </summary>
public sealed class Lbfgs : IOptimizer
{
    public const string RegisteredName = "lbfgs";
    private const string Owner = "optimizer 'lbfgs'";
    private const double Armijo = 1e-4;
    private const int MaxBacktracks = 40;

    public Lbfgs(double learningRate = 1, int historySize = 10, int maxIterations = 100, double toleranceGrad = 1e-7,
        double toleranceChange = 1e-9)
    {
        LearningRate = Check.Positive(learningRate, "learning_rate", Owner);
        HistorySize = Check.AtLeast(historySize, 1, "history_size", Owner);
        MaxIterations = Check.AtLeast(maxIterations, 1, "max_iterations", Owner);
        ToleranceGrad = Check.NonNegative(toleranceGrad, "tolerance_grad", Owner);
        ToleranceChange = Check.NonNegative(toleranceChange, "tolerance_change", Owner);
    }

    public string Name => RegisteredName;

    /// <summary>Iterations done by every <see cref="Minimize"/> so far.</summary>
    public long Iterations { get; private set; }

    /// <summary>The first trial step of a line search: the configured rate (it has no schedule).</summary>
    public double CurrentLearningRate => LearningRate;

    /// <summary>
    /// Only the iteration count: each <see cref="Minimize"/> starts its curvature history afresh, so
    /// the parameters alone decide what the next one does, and a resumed run goes on exactly.
    /// </summary>
    public OptimizerState ExportState() => new(Iterations, new Dictionary<string, float[]>(), new Dictionary<string, double>());

    public void ImportState(OptimizerState state, IReadOnlyList<Parameter> parameters)
    {
        if (state.Iterations < 0) throw new ArgumentException($"{Owner}: state iterations must be non-negative, got {state.Iterations}");
        if (state.Slots.Count > 0) throw new ArgumentException($"{Owner}: keeps no per-parameter state, but the state holds {state.Slots.Count} slots ({state.Slots.Keys.First()})");
        Iterations = state.Iterations;
    }

    /// <summary>The first trial step of each line search (1 is the quasi-Newton step).</summary>
    public double LearningRate { get; }
    public int HistorySize { get; }
    public int MaxIterations { get; }

    /// <summary>Stop when every gradient component is at most this in absolute value.</summary>
    public double ToleranceGrad { get; }

    /// <summary>Stop when an iteration changes the loss by less than this.</summary>
    public double ToleranceChange { get; }

    public LbfgsResult Minimize(IReadOnlyList<Parameter> parameters, Func<double> lossAndGradient)
    {
        var result = Run(parameters, lossAndGradient);
        Iterations += result.Iterations;
        return result;
    }

    private LbfgsResult Run(IReadOnlyList<Parameter> parameters, Func<double> lossAndGradient)
    {
        var trainable = parameters.Where(p => p.Trainable).ToArray();
        int n = trainable.Sum(p => p.Value.Size);
        if (n == 0) throw new ArgumentException($"{Owner}: no trainable parameters to minimize");
        var x = new double[n];
        var g = new double[n];
        Gather(trainable, x, gradients: false);
        int evaluations = 0;
        double Evaluate(double[] point, double[] gradient)
        {
            Scatter(trainable, point);
            foreach (var p in trainable) p.ZeroGrad();
            double loss = lossAndGradient();
            evaluations++;
            Gather(trainable, gradient, gradients: true);
            return loss;
        }

        double f = Evaluate(x, g);
        var history = new List<(double[] S, double[] Y, double Rho)>(HistorySize);
        var direction = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var alphas = new double[HistorySize];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            if (!double.IsFinite(f)) return new LbfgsResult(iteration, evaluations, f, "loss is not finite");
            if (MaxAbs(g) <= ToleranceGrad) return new LbfgsResult(iteration, evaluations, f, "gradient tolerance reached");

            TwoLoop(g, history, alphas, direction);
            double slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (the curvature pairs went stale): restart from steepest descent.
                history.Clear();
                for (int i = 0; i < n; i++) direction[i] = -g[i];
                slope = -Dot(g, g);
            }
            // Without curvature information, keep the first step at most lr in the L1 sense (as PyTorch).
            double step = history.Count == 0 ? LearningRate * Math.Min(1, 1 / SumAbs(g)) : LearningRate;
            double fNew = double.NaN;
            bool accepted = false;
            for (int backtrack = 0; backtrack < MaxBacktracks && !accepted; backtrack++, step *= 0.5)
            {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + step * direction[i];
                fNew = Evaluate(xNew, gNew);
                accepted = fNew <= f + Armijo * step * slope;
            }
            if (!accepted)
            {
                Scatter(trainable, x);
                lossAndGradient();
                return new LbfgsResult(iteration, evaluations, f, "line search found no decrease");
            }

            var s = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            double sy = Dot(s, y);
            if (sy > 1e-10)
            {
                if (history.Count == HistorySize) history.RemoveAt(0);
                history.Add((s, y, 1 / sy));
            }
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            double change = Math.Abs(fNew - f);
            f = fNew;
            if (change < ToleranceChange) return new LbfgsResult(iteration + 1, evaluations, f, "loss change tolerance reached");
        }
        return new LbfgsResult(MaxIterations, evaluations, f, "maximum iterations reached");
    }

    /// <summary>direction = −H·g, H the L-BFGS inverse-Hessian estimate (Nocedal and Wright, Algorithm 7.4).</summary>
    private static void TwoLoop(double[] g, List<(double[] S, double[] Y, double Rho)> history, double[] alphas, double[] direction)
    {
        var q = direction;
        Array.Copy(g, q, g.Length);
        for (int k = history.Count - 1; k >= 0; k--)
        {
            var (s, y, rho) = history[k];
            alphas[k] = rho * Dot(s, q);
            Axpy(-alphas[k], y, q);
        }
        if (history.Count > 0)
        {
            var (s, y, _) = history[^1];
            double gamma = Dot(s, y) / Dot(y, y);
            for (int i = 0; i < q.Length; i++) q[i] *= gamma;
        }
        for (int k = 0; k < history.Count; k++)
        {
            var (s, y, rho) = history[k];
            double beta = rho * Dot(y, q);
            Axpy(alphas[k] - beta, s, q);
        }
        for (int i = 0; i < q.Length; i++) q[i] = -q[i];
    }

    private static void Gather(Parameter[] parameters, double[] target, bool gradients)
    {
        int offset = 0;
        foreach (var p in parameters)
        {
            var source = gradients ? p.Gradient.Span : p.Value.Span;
            for (int i = 0; i < source.Length; i++) target[offset + i] = source[i];
            offset += source.Length;
        }
    }

    private static void Scatter(Parameter[] parameters, double[] source)
    {
        int offset = 0;
        foreach (var p in parameters)
        {
            var target = p.Value.Span;
            for (int i = 0; i < target.Length; i++) target[i] = (float)source[offset + i];
            offset += target.Length;
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void Axpy(double alpha, double[] x, double[] y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }

    private static double MaxAbs(double[] a) => a.Max(Math.Abs);

    private static double SumAbs(double[] a) => a.Sum(Math.Abs);

    public ComponentConfig GetConfig() => new(Name, new Dictionary<string, object>
    {
        ["learning_rate"] = LearningRate,
        ["history_size"] = HistorySize,
        ["max_iterations"] = MaxIterations,
        ["tolerance_grad"] = ToleranceGrad,
        ["tolerance_change"] = ToleranceChange,
    });

    internal static Lbfgs FromConfig(ConfigReader r) => new(
        r.Double("learning_rate", 1), r.Int("history_size", 10), r.Int("max_iterations", 100),
        r.Double("tolerance_grad", 1e-7), r.Double("tolerance_change", 1e-9));
}

/// <summary>How an L-BFGS run ended: iterations done, closure calls, final loss and the reason it stopped.</summary>
public sealed record LbfgsResult(int Iterations, int Evaluations, double Loss, string Reason);
