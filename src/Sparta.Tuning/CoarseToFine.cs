using System.Globalization;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Output;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning;

/// <summary>One stage of a coarse-to-fine search: how many trials, and the budget (epochs) each gets.</summary>
public sealed record SearchStage(int Trials, int Budget);

/// <summary>How the ranges of one stage become those of the next.</summary>
public sealed record NarrowingRules
{
    /// <summary>The share of the stage's complete trials the next ranges are fitted around (at least <see cref="MinTop"/>).</summary>
    public double TopFraction { get; init; } = 0.2;
    public int MinTop { get; init; } = 3;
    /// <summary>The fitted range is widened by this share of its own span on each side.</summary>
    public double Margin { get; init; } = 0.25;
    /// <summary>The best value is "at the edge" within this share of the range's span from a bound.</summary>
    public double EdgeFraction { get; init; } = 0.05;
    /// <summary>Hard limits a numeric parameter may never be extended past (a dropout rate stays in [0, 1]).</summary>
    public IReadOnlyDictionary<string, (double Low, double High)> Limits { get; init; } = new Dictionary<string, (double, double)>();
}

/// <summary>
/// Coarse-to-fine search, as the slides teach it: a first stage of many short trials (few
/// epochs) over wide ranges, then each next stage searches ranges narrowed around the best
/// trials with more epochs; when the best value sits on the edge of a range, the next range is
/// extended past it ("if the best result is on the limits of the search, extend") and the
/// log says so. The search space is data, so an experiment file can describe it. Each stage
/// is its own study (<c>NAME-stageK</c>) in the given storage.
/// </summary>
public sealed class CoarseToFine
{
    private readonly IReadOnlyList<SearchStage> _stages;
    private readonly Func<ulong, IReadOnlyDictionary<string, Distribution>, int, ISampler> _samplerFor;

    public CoarseToFine(IReadOnlyDictionary<string, Distribution> space, IReadOnlyList<SearchStage> stages,
        Func<ulong, IReadOnlyDictionary<string, Distribution>, int, ISampler>? samplerFor = null, NarrowingRules? rules = null)
    {
        if (space.Count == 0) throw new ArgumentException("coarse to fine: the search space is empty");
        if (stages.Count == 0) throw new ArgumentException("coarse to fine: no stages");
        foreach (var s in stages)
            if (s.Trials < 1 || s.Budget < 1) throw new ArgumentException($"coarse to fine: a stage needs at least 1 trial and budget 1, got {s.Trials} trials, budget {s.Budget}");
        Space = space;
        _stages = stages;
        _samplerFor = samplerFor ?? ((seed, stageSpace, trials) => new TpeSampler(seed, startupTrials: Math.Min(10, Math.Max(1, trials / 3))));
        Rules = rules ?? new NarrowingRules();
    }

    public IReadOnlyDictionary<string, Distribution> Space { get; }
    public NarrowingRules Rules { get; }

    /// <summary>
    /// Runs every stage. The objective gets the trial (for reports and pruning), the parameters
    /// drawn from the stage's space, and the stage's budget. Returns the studies, one per stage.
    /// An exception from the objective stops the search unless its type is in <paramref name="catchExceptions"/>.
    /// </summary>
    public IReadOnlyList<Study> Run(Func<Trial, IReadOnlyDictionary<string, object?>, int, double> objective, string name = "coarse-to-fine",
        StudyDirection direction = StudyDirection.Minimize, IStudyStorage? storage = null, ulong seed = 0,
        TextWriter? log = null, Action<Study, FrozenTrial>? onTrialFinished = null, IReadOnlyCollection<Type>? catchExceptions = null)
    {
        storage ??= new InMemoryStorage();
        var studies = new List<Study>();
        var space = Space;
        for (int k = 0; k < _stages.Count; k++)
        {
            var stage = _stages[k];
            log?.WriteLine($"stage {k + 1}/{_stages.Count}: {stage.Trials} trials at budget {stage.Budget}: {Describe(space)}");
            ulong stageSeed = seed + (ulong)k;
            var study = Study.Create($"{name}-stage{k + 1}", direction, storage, _samplerFor(stageSeed, space, stage.Trials), seed: stageSeed);
            var stageSpace = space;
            study.Optimize(trial =>
            {
                var parameters = stageSpace.ToDictionary(p => p.Key, p => trial.Suggest(p.Key, p.Value));
                return objective(trial, parameters, stage.Budget);
            }, stage.Trials, onTrialFinished, catchExceptions: catchExceptions);
            studies.Add(study);
            if (k + 1 < _stages.Count)
            {
                var (next, notes) = Narrow(space, study.GetTrials(TrialState.Complete), direction, Rules);
                foreach (var note in notes) log?.WriteLine(note);
                space = next;
            }
        }
        return studies;
    }

    /// <summary>
    /// The next stage's ranges: numeric ranges fitted around the top trials (in log space for
    /// log ranges) and widened by the margin; a range whose best value sits on its edge is
    /// extended past it by half its span instead of being narrowed on that side; categorical
    /// choices keep those the top trials used. The notes tell what was extended.
    /// </summary>
    public static (IReadOnlyDictionary<string, Distribution> Space, IReadOnlyList<string> Notes) Narrow(
        IReadOnlyDictionary<string, Distribution> space, IReadOnlyList<FrozenTrial> complete, StudyDirection direction, NarrowingRules rules)
    {
        var notes = new List<string>();
        if (complete.Count == 0) return (space, new[] { "no complete trial: ranges kept" });
        var ranked = complete.OrderBy(t => direction == StudyDirection.Maximize ? -t.Value!.Value : t.Value!.Value).ToList();
        int topCount = Math.Min(ranked.Count, Math.Max(rules.MinTop, (int)Math.Ceiling(rules.TopFraction * ranked.Count)));
        var top = ranked.Take(topCount).ToList();
        var best = ranked[0];
        var next = new Dictionary<string, Distribution>();
        foreach (var (name, distribution) in space)
        {
            var values = top.Where(t => t.InternalParams.ContainsKey(name)).Select(t => t.InternalParams[name]).ToList();
            if (values.Count == 0 || !best.InternalParams.TryGetValue(name, out double bestValue)) { next[name] = distribution; continue; }
            if (distribution is CategoricalDistribution c)
            {
                var kept = c.Choices.Where((_, i) => values.Contains(i)).ToList();
                next[name] = new CategoricalDistribution(kept);
                continue;
            }
            next[name] = NarrowNumeric(name, distribution, values, bestValue, rules, notes);
        }
        return (next, notes);
    }

    private static Distribution NarrowNumeric(string name, Distribution distribution, List<double> values, double bestValue, NarrowingRules rules, List<string> notes)
    {
        bool log = distribution is FloatDistribution { Log: true } or IntDistribution { Log: true };
        var (low, high) = distribution switch
        {
            FloatDistribution f => (f.Low, f.High),
            IntDistribution i => ((double)i.Low, (double)i.High),
            _ => throw new ArgumentException($"coarse to fine: parameter '{name}' has an unknown distribution"),
        };
        double T(double v) => log ? Math.Log(v) : v;
        double Inverse(double t) => log ? Math.Exp(t) : t;
        double tLow = T(low), tHigh = T(high), span = tHigh - tLow;
        double fitLow = values.Min(T), fitHigh = values.Max(T);
        double margin = Math.Max(rules.Margin * (fitHigh - fitLow), 0.05 * span);
        double newLow = fitLow - margin, newHigh = fitHigh + margin;
        double tBest = T(bestValue);
        bool atLow = tBest - tLow <= rules.EdgeFraction * span, atHigh = tHigh - tBest <= rules.EdgeFraction * span;
        newLow = atLow ? tLow - 0.5 * span : Math.Max(newLow, tLow);
        newHigh = atHigh ? tHigh + 0.5 * span : Math.Min(newHigh, tHigh);

        double lo = Inverse(newLow), hi = Inverse(newHigh);
        if (rules.Limits.TryGetValue(name, out var limit)) { lo = Math.Max(lo, limit.Low); hi = Math.Min(hi, limit.High); }
        string where = $"{name}: best {Show(bestValue)} sits at the {{0}} edge of [{Show(low)}, {Show(high)}]";
        if (atLow) notes.Add(string.Format(CultureInfo.InvariantCulture, where, "lower") + (lo < low ? $": range extended below it to {Show(lo)}" : $": kept at its limit {Show(lo)}"));
        if (atHigh) notes.Add(string.Format(CultureInfo.InvariantCulture, where, "upper") + (hi > high ? $": range extended above it to {Show(hi)}" : $": kept at its limit {Show(hi)}"));
        if (!(hi > lo)) (lo, hi) = (low, high); // limits left no room: keep the range
        return distribution switch
        {
            FloatDistribution { Step: double step } f => NarrowStepped(f, lo, hi, step),
            FloatDistribution f => new FloatDistribution(lo, hi, f.Log),
            IntDistribution i => NarrowInt(i, lo, hi),
            _ => distribution,
        };
    }

    /// <summary>Bounds on the original grid of the step, at least one step apart.</summary>
    private static FloatDistribution NarrowStepped(FloatDistribution f, double lo, double hi, double step)
    {
        double low = f.Low + Math.Floor((lo - f.Low) / step) * step;
        double high = Math.Max(f.Low + Math.Ceiling((hi - f.Low) / step) * step, low + step);
        return new FloatDistribution(low, high, step: step);
    }

    /// <summary>Integer bounds on the original grid, at least one step apart, and at least 1 for log ranges.</summary>
    private static IntDistribution NarrowInt(IntDistribution i, double lo, double hi)
    {
        long low = i.Low + (long)Math.Floor((lo - i.Low) / i.Step) * i.Step;
        long high = i.Low + (long)Math.Ceiling((hi - i.Low) / i.Step) * i.Step;
        if (i.Log) low = Math.Max(low, 1);
        if (high <= low) high = low + i.Step;
        return new IntDistribution(low, high, i.Log, i.Step);
    }

    private static string Show(double v) => TrialLine.FormatValue(v);

    /// <summary>A one-line description of a space: <c>lr in [0.001000, 10.000000] (log), act in {relu, tanh}</c>.</summary>
    public static string Describe(IReadOnlyDictionary<string, Distribution> space) => string.Join(", ", space.Select(p => p.Value switch
    {
        FloatDistribution f => $"{p.Key} in [{Show(f.Low)}, {Show(f.High)}]{(f.Log ? " (log)" : "")}",
        IntDistribution i => $"{p.Key} in [{i.Low}, {i.High}]{(i.Log ? " (log)" : "")}",
        CategoricalDistribution c => $"{p.Key} in {{{string.Join(", ", c.Choices.Select(TrialLine.FormatValue))}}}",
        _ => p.Key,
    }));
}
