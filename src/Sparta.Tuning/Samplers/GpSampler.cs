using Sparta.Configuration;
using Sparta.Tensors;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Bayesian optimization with a Gaussian process. After <see cref="StartupTrials"/> random
/// trials, the complete trials are mapped to [0, 1]^d (log ranges in log space), values are
/// standardized, a GP with a Matern 5/2 ARD kernel is fitted by maximizing the marginal
/// likelihood (L-BFGS from a default and from seeded random restarts), and the next point
/// maximizes expected improvement: over random candidates and points near the best trials,
/// then refined locally around the most promising ones. Categorical parameters are mapped to
/// equal shares of [0, 1] (an ordinal encoding: adequate for few choices).
/// </summary>
public sealed class GpSampler : ISampler
{
    private readonly ISampler _startup;
    private readonly object _lock = new();
    // θ_m by search space and m: a function of the first m observations, so any sampler object computes the same one.
    private readonly Dictionary<(string Space, int M), (int[] Numbers, double[] Theta)> _refits = new();

    public GpSampler(ulong seed = 0, int startupTrials = 10, int candidates = 1024, int restarts = 2, bool sobolStartup = false, bool rankValues = false, bool meanIncumbent = false, bool centreFirst = false)
    {
        if (startupTrials < 1) throw new ArgumentOutOfRangeException(nameof(startupTrials), $"startup trials must be at least 1, got {startupTrials}");
        if (candidates < 1) throw new ArgumentOutOfRangeException(nameof(candidates), $"candidates must be at least 1, got {candidates}");
        Seed = seed;
        StartupTrials = startupTrials;
        Candidates = candidates;
        Restarts = restarts;
        SobolStartup = sobolStartup;
        RankValues = rankValues;
        MeanIncumbent = meanIncumbent;
        CentreFirst = centreFirst;
        _startup = StartupSampler.Create(seed, sobolStartup, centreFirst);
    }

    public const string RegisteredName = "gp";

    /// <summary>
    /// <c>{name: gp, startup_trials: 10, candidates: 1024, restarts: 2, startup: random, values: standardize, incumbent: observed, first_trial: random, hyperparameters: warm}</c>;
    /// startup is random or sobol, values standardize or rank, incumbent observed or mean, first_trial random or centre,
    /// hyperparameters warm or fresh (<see cref="PeriodicRefit"/>).
    /// </summary>
    internal static SamplerFactory FromConfig(ConfigReader r)
    {
        int startupTrials = Check.AtLeast(r.Int("startup_trials", 10), 1, "startup_trials", r.Owner);
        int candidates = Check.AtLeast(r.Int("candidates", 1024), 1, "candidates", r.Owner);
        int restarts = Check.AtLeast(r.Int("restarts", 2), 0, "restarts", r.Owner);
        bool sobolStartup = StartupSampler.IsSobol(r);
        bool rankValues = r.Choice("values", "standardize", "standardize", "rank") == "rank";
        bool meanIncumbent = r.Choice("incumbent", "observed", "observed", "mean") == "mean";
        bool centreFirst = StartupSampler.FirstTrialIsCentre(r);
        bool periodic = r.Choice("hyperparameters", "warm", "warm", "fresh") == "warm";
        return (seed, _, _) => new GpSampler(seed, startupTrials, candidates, restarts, sobolStartup, rankValues, meanIncumbent, centreFirst) { PeriodicRefit = periodic };
    }

    public ulong Seed { get; }
    public int StartupTrials { get; }
    public int Candidates { get; }
    public int Restarts { get; }
    /// <summary>
    /// Whether the start-up trials (and parameters outside the model) take scrambled Sobol points
    /// rather than random ones: a few Sobol points cover each range evenly (four of them put one
    /// point in each quarter of every range), where a few random ones can all miss the good part.
    /// </summary>
    public bool SobolStartup { get; }
    /// <summary>
    /// Whether the process models the values' normal scores (rank r of n becomes the standard normal
    /// quantile of (r + 0.5) / n) rather than the values standardized. A diverged trial (accuracy 0.1
    /// where the rest reach 0.8) then weighs as one bad rank instead of setting the scale against
    /// which the differences between good trials look like noise.
    /// </summary>
    public bool RankValues { get; }
    /// <summary>Whether trial 0 takes the centre of the space rather than the first start-up point (<see cref="CentreFirstSampler"/>).</summary>
    public bool CentreFirst { get; }
    /// <summary>Whether expected improvement is measured from the lowest posterior mean at an observed point (<see cref="Incumbent"/>) rather than the lowest observed value.</summary>
    public bool MeanIncumbent { get; }
    /// <summary>
    /// Whether, from <see cref="FullFitBelow"/> observations on, trial n uses the hyperparameters
    /// θ_m fitted on the first m = n - n mod <see cref="RefitInterval"/> observations (from the
    /// default start and restarts seeded by the seed and m), computed once and kept by m: the
    /// posterior still conditions on all n, and hyperparameters barely move over a few trials.
    /// θ_m is a function of the history alone, so parallel and resumed studies propose what a
    /// sequential one does, at about a fifth of the cost of fitting at every trial. Without it
    /// every trial fits from all its observations.
    /// </summary>
    public bool PeriodicRefit { get; init; } = true;
    /// <summary>Below this many observations, hyperparameters are fitted from several starts at every trial.</summary>
    public int FullFitBelow { get; init; } = 50;
    /// <summary>Beyond <see cref="FullFitBelow"/>, hyperparameters are re-optimized every this many observations (<see cref="PeriodicRefit"/>).</summary>
    public int RefitInterval { get; init; } = 5;

    public bool TakesSeveralObjectives => false;

    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        SearchSpace.Intersection(study.History(trial, TrialState.Complete));

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        _startup.SampleIndependent(study, trial, name, distribution);

    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        if (searchSpace.Count == 0) return SearchSpace.NoValues;
        var names = searchSpace.Keys.ToArray();
        var observed = study.History(trial, TrialState.Complete).Where(t => names.All(t.InternalParams.ContainsKey) && t.Value is double).ToList();
        if (observed.Count < StartupTrials) return SearchSpace.NoValues;

        double sign = study.Direction == StudyDirection.Maximize ? -1 : 1;
        var x = observed.Select(t => names.Select(n => UnitSpace.ToUnit(searchSpace[n], t.InternalParams[n])).ToArray()).ToArray();
        var values = observed.Select(t => sign * t.Value!.Value).ToArray();
        var y = ModelledValues(values);
        var random = RandomSampler.StreamFor(Seed, trial, "gp");

        var process = new GaussianProcess(x, y);
        int d = names.Length;
        var theta = PeriodicRefit && observed.Count >= FullFitBelow
            ? RefitHyperparameters(string.Join('\n', names), observed, x, values, d)
            : FitHyperparameters(process, d, random);
        if (!process.Fit(theta))
            process.Fit(theta.Take(d).Append(0.0).Append(GaussianProcess.LogNoiseBounds.High).ToArray());
        var best = MaximizeExpectedImprovement(process, x, y, names.Length, random);
        var result = new Dictionary<string, double>();
        for (int i = 0; i < names.Length; i++) result[names[i]] = UnitSpace.FromUnit(searchSpace[names[i]], best[i]);
        return result;
    }

    private double[] ModelledValues(double[] values) => RankValues ? NormalScores(values) : Standardize(values);

    /// <summary>
    /// θ_m (<see cref="PeriodicRefit"/>): kept by search space and m, with the trial numbers it was
    /// fitted on, so a study whose first m observations differ (a parallel one without a concurrency)
    /// fits its own rather than reusing another's.
    /// </summary>
    private double[] RefitHyperparameters(string space, IReadOnlyList<FrozenTrial> observed, double[][] x, double[] values, int d)
    {
        int m = observed.Count - observed.Count % RefitInterval;
        var numbers = observed.Take(m).Select(t => t.Number).ToArray();
        lock (_lock)
            if (_refits.TryGetValue((space, m), out var kept) && kept.Numbers.AsSpan().SequenceEqual(numbers)) return kept.Theta;
        var first = new GaussianProcess(x[..m], ModelledValues(values[..m]));
        var theta = FitHyperparameters(first, d, new RandomGenerator(Seed).Fork("gp refit").Fork((ulong)m));
        lock (_lock) _refits[(space, m)] = (numbers, theta);
        return theta;
    }

    /// <summary>θ_m as this sampler keeps it, or null where it has not fitted it.</summary>
    internal double[]? Refitted(int m)
    {
        lock (_lock) return _refits.Where(e => e.Key.M == m).Select(e => e.Value.Theta).FirstOrDefault();
    }

    /// <summary>The standard normal quantile of each value's rank (ties share their mean rank).</summary>
    internal static double[] NormalScores(double[] values)
    {
        int n = values.Length;
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var scores = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) end++;
            double score = Normal.InverseCdf((0.5 * (start + end) + 0.5) / n);
            for (int k = start; k <= end; k++) scores[order[k]] = score;
            start = end + 1;
        }
        return scores;
    }

    private static double[] Standardize(double[] values)
    {
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        if (!(std > 1e-12)) std = 1;
        return values.Select(v => (v - mean) / std).ToArray();
    }

    /// <summary>
    /// Maximizes the evidence of <paramref name="process"/> over hyperparameters squashed into their
    /// bounds by a logistic map, so L-BFGS runs unconstrained, from a default and from
    /// <see cref="Restarts"/> random starts drawn from <paramref name="random"/>; each evaluation
    /// costs O(n^3).
    /// </summary>
    private double[] FitHyperparameters(GaussianProcess process, int d, RandomGenerator random)
    {
        var bounds = Enumerable.Repeat(GaussianProcess.LogLengthBounds, d).Append(GaussianProcess.LogSignalBounds).Append(GaussianProcess.LogNoiseBounds).ToArray();
        double[] ToTheta(double[] phi) => phi.Select((p, i) => bounds[i].Low + (bounds[i].High - bounds[i].Low) / (1 + Math.Exp(-p))).ToArray();
        double[] ToPhi(double[] theta) => theta.Select((t, i) =>
        {
            double u = Math.Clamp((t - bounds[i].Low) / (bounds[i].High - bounds[i].Low), 1e-6, 1 - 1e-6);
            return Math.Log(u / (1 - u));
        }).ToArray();
        (double, double[])? Objective(double[] phi)
        {
            var theta = ToTheta(phi);
            var e = process.LogEvidence(theta);
            if (e is null) return null;
            var (value, gradTheta) = e.Value;
            var grad = new double[phi.Length];
            for (int i = 0; i < phi.Length; i++)
            {
                double s = 1 / (1 + Math.Exp(-phi[i]));
                grad[i] = gradTheta[i] * (bounds[i].High - bounds[i].Low) * s * (1 - s);
            }
            return (value, grad);
        }

        var starts = new List<double[]> { ToPhi(Enumerable.Repeat(Math.Log(0.5), d).Append(0.0).Append(Math.Log(1e-3)).ToArray()) };
        for (int r = 0; r < Restarts; r++) starts.Add(bounds.Select(_ => random.Uniform(-2, 2)).ToArray());

        double bestValue = double.NegativeInfinity;
        double[]? bestTheta = null;
        foreach (var start in starts)
        {
            var (phi, value) = Lbfgs.Maximize(Objective, start, maxIterations: 40);
            if (value > bestValue) { bestValue = value; bestTheta = ToTheta(phi); }
        }
        return bestTheta ?? ToTheta(starts[^1]);
    }

    private double[] MaximizeExpectedImprovement(GaussianProcess process, double[][] x, double[] y, int d, RandomGenerator random)
    {
        var scratch = new double[y.Length];
        double incumbent = MeanIncumbent ? Incumbent(process, x, scratch) : y.Min();
        double Ei(double mean, double std)
        {
            double z = (incumbent - mean) / std;
            return (incumbent - mean) * Normal.Cdf(z) + std * Normal.Pdf(z);
        }
        double Exact(double[] point) => Ei(process.Mean(point, scratch), process.Std(scratch));

        // Candidates: uniform points, plus Gaussian perturbations of the five best observations.
        var bestObserved = Enumerable.Range(0, y.Length).OrderBy(i => y[i]).Take(5).Select(i => x[i]).ToArray();
        var candidates = new List<(double Bound, double[] Point)>(Candidates);
        for (int c = 0; c < Candidates; c++)
        {
            var point = new double[d];
            if (c % 4 == 3)
            {
                var center = bestObserved[c / 4 % bestObserved.Length];
                for (int k = 0; k < d; k++) point[k] = Math.Clamp(center[k] + 0.05 * random.Normal(), 0, 1);
            }
            else for (int k = 0; k < d; k++) point[k] = random.NextDouble();
            // EI grows with the standard deviation, which the prior's bounds: the mean alone gives
            // an upper bound, and the costly variance is computed only where the bound can win.
            candidates.Add((Ei(process.Mean(point, scratch), process.PriorStd), point));
        }
        candidates.Sort((a, b) => b.Bound.CompareTo(a.Bound));
        const int keep = 3;
        var top = new List<(double Ei, double[] Point)>();
        foreach (var (bound, point) in candidates)
        {
            if (top.Count == keep && bound <= top[^1].Ei) break;
            top.Add((Exact(point), point));
            top.Sort((a, b) => b.Ei.CompareTo(a.Ei));
            if (top.Count > keep) top.RemoveAt(keep);
        }

        // Local refinement: a shrinking random walk from each of the best candidates.
        var best = top[0];
        foreach (var (startEi, startPoint) in top)
        {
            double currentEi = startEi;
            var current = startPoint;
            double scale = 0.05;
            for (int step = 0; step < 40 && scale > 1e-4; step++)
            {
                var proposal = current.Select(v => Math.Clamp(v + scale * random.Normal(), 0, 1)).ToArray();
                double e = Exact(proposal);
                if (e > currentEi) { current = proposal; currentEi = e; }
                else if (step % 5 == 4) scale *= 0.5;
            }
            if (currentEi > best.Ei) best = (currentEi, current);
        }
        return best.Point;
    }

    /// <summary>
    /// The lowest posterior mean at an observed point, which <see cref="MeanIncumbent"/> measures
    /// expected improvement from instead of the lowest observed value. On a noisy objective (a trial's accuracy moves with its
    /// seed) the lowest observation is a lucky draw the model does not believe; measuring from it
    /// makes every point near the good ones look hopeless, and EI goes exploring instead. Where the
    /// fitted noise is negligible the two agree.
    /// </summary>
    internal static double Incumbent(GaussianProcess process, double[][] x, double[] scratch)
    {
        double incumbent = double.PositiveInfinity;
        foreach (var point in x) incumbent = Math.Min(incumbent, process.Mean(point, scratch));
        return incumbent;
    }
}
