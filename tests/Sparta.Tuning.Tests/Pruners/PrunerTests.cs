using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Pruners;

/// <summary>Pruning decisions worked out by hand from Optuna's rules.</summary>
public class PrunerTests
{
    /// <summary>Adds a complete trial that reported <paramref name="curve"/> at steps 0, 1, ...</summary>
    private static void Complete(Study study, params double[] curve)
    {
        var trial = study.Ask();
        for (int step = 0; step < curve.Length; step++) trial.Report(curve[step], step);
        study.Tell(trial, curve[^1]);
    }

    private static Study NewStudy(IPruner pruner, StudyDirection direction = StudyDirection.Minimize, string? name = null) =>
        Study.Create(name, direction, pruner: pruner, sampler: new RandomSampler(1));

    [Fact]
    public void Median_prunes_above_the_median_of_complete_trials_at_the_step()
    {
        var study = NewStudy(new MedianPruner(startupTrials: 3));
        Complete(study, 1.0, 0.8);
        Complete(study, 2.0, 0.6);
        var running = study.Ask();
        running.Report(1.6, 0);
        Assert.False(running.ShouldPrune()); // only 2 complete trials, startup is 3
        Complete(study, 3.0, 0.4);
        // Step 0 values of complete trials: 1, 2, 3 -> median 2.
        running.Report(1.9, 0);
        Assert.False(running.ShouldPrune());
        var worse = study.Ask();
        worse.Report(2.1, 0);
        Assert.True(worse.ShouldPrune());
        // Best-so-far counts: at step 1 the median is 0.6 and this trial's best is 0.5.
        worse.Report(0.5, 1);
        Assert.False(worse.ShouldPrune());
    }

    [Fact]
    public void Percentile_flips_for_maximization()
    {
        // Keep the top 25%: for maximization the threshold is the 75th percentile of values.
        var study = NewStudy(new PercentilePruner(25, startupTrials: 1), StudyDirection.Maximize);
        foreach (double v in new[] { 0.1, 0.2, 0.3, 0.4, 0.5 }) Complete(study, v);
        // numpy percentile 75 of [0.1..0.5] with linear interpolation = 0.4.
        var low = study.Ask();
        low.Report(0.39, 0);
        Assert.True(low.ShouldPrune());
        var high = study.Ask();
        high.Report(0.41, 0);
        Assert.False(high.ShouldPrune());
    }

    [Fact]
    public void Warmup_and_interval_steps_skip_checks()
    {
        var study = NewStudy(new MedianPruner(startupTrials: 1, warmupSteps: 2, intervalSteps: 3));
        Complete(study, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var trial = study.Ask();
        var pruneAt = new List<int>();
        for (int step = 0; step < 9; step++)
        {
            trial.Report(1.0, step);
            if (trial.ShouldPrune()) pruneAt.Add(step);
        }
        // Checks happen at steps 2, 5, 8 (warm-up 2, then every 3).
        Assert.Equal(new[] { 2, 5, 8 }, pruneAt);
    }

    [Fact]
    public void Nan_reports_are_pruned()
    {
        var study = NewStudy(new MedianPruner(startupTrials: 1));
        Complete(study, 1.0);
        var trial = study.Ask();
        trial.Report(double.NaN, 0);
        Assert.True(trial.ShouldPrune());
    }

    [Fact]
    public void Successive_halving_keeps_the_top_fraction_at_each_rung()
    {
        // min resource 1, reduction factor 2: rungs at steps 1, 2, 4. A value at a rung goes on
        // when it is at most the (n/2 - 1)-th smallest of the n values recorded there (at least the best).
        var study = NewStudy(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2));
        bool PruneAtStep1(double value)
        {
            var t = study.Ask();
            t.Report(9, 0);
            t.Report(value, 1);
            bool prune = t.ShouldPrune();
            study.Tell(t, prune ? TrialState.Pruned : TrialState.Complete, value);
            return prune;
        }
        Assert.False(PruneAtStep1(0.5));  // [0.5]: index 0 -> 0.5
        Assert.True(PruneAtStep1(0.8));   // [0.5 0.8]: index 0 -> 0.5
        Assert.False(PruneAtStep1(0.3));  // [0.3 0.5 0.8]: index 0 -> 0.3
        Assert.True(PruneAtStep1(0.6));   // [0.3 0.5 0.6 0.8]: index 1 -> 0.5
        Assert.False(PruneAtStep1(0.45)); // [0.3 0.45 0.5 0.6 0.8]: index 1 -> 0.45
        Assert.Equal("0.45", study.Trials[4].SystemAttrs[SuccessiveHalvingPruner.RungKey(0)]);
    }

    [Fact]
    public void Successive_halving_does_not_judge_before_the_first_rung()
    {
        var study = NewStudy(new SuccessiveHalvingPruner(minResource: 4, reductionFactor: 2));
        var t = study.Ask();
        t.Report(100, 3);
        Assert.False(t.ShouldPrune());
        Assert.False(study.Storage.GetTrial(t.TrialId).SystemAttrs.ContainsKey(SuccessiveHalvingPruner.RungKey(0)));
    }

    [Fact]
    public void Hyperband_assigns_brackets_as_optuna_does()
    {
        // Optuna 3.1, HyperbandPruner(1, 27, 3) in study "hb": 4 brackets with budgets 27, 12, 6, 4,
        // and trials 0..19 fall into these brackets.
        int[] expected = { 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 3, 0, 3, 2, 0, 0, 1, 1, 0, 3 };
        var pruner = new HyperbandPruner(minResource: 1, maxResource: 27, reductionFactor: 3);
        var study = NewStudy(pruner, name: "hb");
        var t = study.Ask();
        t.Report(1, 0);
        t.ShouldPrune();
        Assert.Equal(4, pruner.BracketCount);
        Assert.Equal(expected, Enumerable.Range(0, 20).Select(n => pruner.BracketOf("hb", n)));
    }
}
