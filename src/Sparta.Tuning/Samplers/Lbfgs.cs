namespace Sparta.Tuning.Samplers;

/// <summary>
/// Limited-memory BFGS maximization with a backtracking (Armijo) line search, for the GP's
/// hyperparameters. The function may return null where it is undefined; the line search then
/// steps back.
/// </summary>
internal static class Lbfgs
{
    public static (double[] X, double Value) Maximize(Func<double[], (double Value, double[] Gradient)?> f, double[] start, int maxIterations, int memory = 6)
    {
        var x = (double[])start.Clone();
        var current = f(x);
        if (current is null) return (x, double.NegativeInfinity);
        var (value, gradient) = current.Value;
        var s = new List<double[]>();
        var y = new List<double[]>();
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            var direction = TwoLoop(gradient, s, y);
            double slope = Dot(direction, gradient);
            if (slope <= 0) { direction = (double[])gradient.Clone(); slope = Dot(gradient, gradient); s.Clear(); y.Clear(); }
            if (slope < 1e-12) break;
            double step = iteration == 0 && s.Count == 0 ? Math.Min(1, 1 / Math.Sqrt(slope)) : 1;
            double[]? next = null;
            (double Value, double[] Gradient)? nextEval = null;
            for (int tries = 0; tries < 30; tries++, step *= 0.5)
            {
                var candidate = new double[x.Length];
                for (int i = 0; i < x.Length; i++) candidate[i] = x[i] + step * direction[i];
                var e = f(candidate);
                if (e is { } ev && ev.Value >= value + 1e-4 * step * slope) { next = candidate; nextEval = ev; break; }
            }
            if (next is null) break;
            var (nextValue, nextGradient) = nextEval!.Value;
            // Ascent: curvature pairs use the negated gradient change so the two-loop gives an ascent direction.
            var sk = new double[x.Length];
            var yk = new double[x.Length];
            for (int i = 0; i < x.Length; i++) { sk[i] = next[i] - x[i]; yk[i] = gradient[i] - nextGradient[i]; }
            if (Dot(sk, yk) > 1e-10)
            {
                s.Add(sk); y.Add(yk);
                if (s.Count > memory) { s.RemoveAt(0); y.RemoveAt(0); }
            }
            bool converged = nextValue - value < 1e-7 * (1 + Math.Abs(value));
            x = next; value = nextValue; gradient = nextGradient;
            if (converged) break;
        }
        return (x, value);
    }

    /// <summary>The two-loop recursion: approximately H^-1 g with H the negated Hessian.</summary>
    private static double[] TwoLoop(double[] gradient, List<double[]> s, List<double[]> y)
    {
        var q = (double[])gradient.Clone();
        var alpha = new double[s.Count];
        for (int i = s.Count - 1; i >= 0; i--)
        {
            alpha[i] = Dot(s[i], q) / Dot(y[i], s[i]);
            for (int k = 0; k < q.Length; k++) q[k] -= alpha[i] * y[i][k];
        }
        if (s.Count > 0)
        {
            double gamma = Dot(s[^1], y[^1]) / Dot(y[^1], y[^1]);
            for (int k = 0; k < q.Length; k++) q[k] *= gamma;
        }
        for (int i = 0; i < s.Count; i++)
        {
            double beta = Dot(y[i], q) / Dot(y[i], s[i]);
            for (int k = 0; k < q.Length; k++) q[k] += s[i][k] * (alpha[i] - beta);
        }
        return q;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
