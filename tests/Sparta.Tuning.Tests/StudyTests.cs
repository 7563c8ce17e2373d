using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests;

public class StudyTests
{
    private static double Quadratic(Trial t)
    {
        double x = t.SuggestFloat("x", -10, 10);
        int n = t.SuggestInt("n", 1, 8);
        string act = t.SuggestCategorical("act", new[] { "relu", "tanh" });
        return (x - 2) * (x - 2) + n + (act == "tanh" ? 1 : 0);
    }

    [Fact]
    public void Optimize_records_every_trial_with_its_params_and_value()
    {
        var study = Study.Create(sampler: new RandomSampler(seed: 1));
        study.Optimize(Quadratic, 12);
        var trials = study.Trials;
        Assert.Equal(12, trials.Count);
        foreach (var t in trials)
        {
            Assert.Equal(TrialState.Complete, t.State);
            double x = (double)t.Params["x"]!;
            long n = (long)t.Params["n"]!;
            double expected = (x - 2) * (x - 2) + n + ((string)t.Params["act"]! == "tanh" ? 1 : 0);
            Assert.Equal(expected, t.Value);
            Assert.InRange(x, -10, 10);
            Assert.InRange(n, 1, 8);
        }
        Assert.Equal(trials.Min(t => t.Value!.Value), study.BestValue);
        Assert.Equal(study.BestTrial.Params, study.BestParams);
    }

    [Fact]
    public void Maximize_picks_the_largest_value()
    {
        var study = Study.Create(direction: StudyDirection.Maximize, sampler: new RandomSampler(seed: 2));
        study.Optimize(t => t.SuggestFloat("x", 0, 1), 10);
        Assert.Equal(study.Trials.Max(t => t.Value!.Value), study.BestValue);
    }

    [Fact]
    public void Caught_exceptions_and_non_finite_values_fail_the_trial_with_the_reason_and_the_study_goes_on()
    {
        var study = Study.Create(sampler: new TpeSampler(seed: 3, startupTrials: 2));
        study.Optimize(t =>
        {
            double x = t.SuggestFloat("x", 0, 1);
            return t.Number switch
            {
                1 => double.NaN,
                2 => throw new InvalidOperationException("loss diverged"),
                _ => x,
            };
        }, 8, catchExceptions: [typeof(InvalidOperationException)]);
        var trials = study.Trials;
        Assert.Equal(TrialState.Fail, trials[1].State);
        Assert.Contains("NaN", trials[1].SystemAttrs[TrialSystemAttrs.FailReason]);
        Assert.Equal(TrialState.Fail, trials[2].State);
        Assert.Contains("loss diverged", trials[2].SystemAttrs[TrialSystemAttrs.FailReason]);
        Assert.Null(trials[1].Values);
        Assert.Equal(6, study.GetTrials(TrialState.Complete).Count);
        Assert.True(double.IsFinite(study.BestValue));
    }

    [Fact]
    public void An_exception_not_listed_in_catch_fails_the_trial_and_is_raised_again()
    {
        var study = Study.Create(sampler: new RandomSampler(seed: 4));
        int calls = 0;
        var thrown = Assert.Throws<KeyNotFoundException>(() => study.Optimize(t =>
        {
            calls++;
            double x = t.SuggestFloat("x", 0, 1);
            return t.Number == 2 ? throw new KeyNotFoundException("a bug in the objective") : x;
        }, 10, catchExceptions: [typeof(ArgumentException)]));
        Assert.Equal("a bug in the objective", thrown.Message);
        Assert.Equal(3, calls);
        var trials = study.Trials;
        Assert.Equal(3, trials.Count);
        Assert.Equal(TrialState.Fail, trials[2].State);
        Assert.Contains("a bug in the objective", trials[2].SystemAttrs[TrialSystemAttrs.FailReason]);

        // A subclass of a listed type is caught: ArgumentNullException is an ArgumentException.
        study.Optimize(t => throw new ArgumentNullException("x"), 2, catchExceptions: [typeof(ArgumentException)]);
        Assert.Equal(5, study.Trials.Count);
        Assert.Equal(3, study.GetTrials(TrialState.Fail).Count);
    }

    [Fact]
    public void A_pruned_trial_keeps_its_last_reported_value()
    {
        var study = Study.Create();
        study.Optimize(t =>
        {
            t.SuggestFloat("x", 0, 1);
            t.Report(0.9, 0);
            t.Report(0.7, 1);
            throw new TrialPruned();
        }, 1);
        var trial = study.Trials[0];
        Assert.Equal(TrialState.Pruned, trial.State);
        Assert.Equal(0.7, trial.Value);
        Assert.Equal(1, trial.LastStep);
    }

    [Fact]
    public void Each_trial_seed_comes_from_the_study_seed_and_number_and_is_stored()
    {
        var study = Study.Create(seed: 77);
        var seen = new List<ulong>();
        study.Optimize(t => { seen.Add(t.Seed); return t.SuggestFloat("x", 0, 1); }, 3);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(Study.TrialSeed(77, k), seen[k]);
            Assert.Equal(seen[k].ToString(), study.Trials[k].SystemAttrs[TrialSystemAttrs.Seed]);
        }
        Assert.Equal(3, seen.Distinct().Count());
        Assert.NotEqual(Study.TrialSeed(78, 0), Study.TrialSeed(77, 0));
    }

    [Fact]
    public void Enqueued_configurations_run_first_and_unlisted_params_are_sampled()
    {
        var study = Study.Create(sampler: new RandomSampler(seed: 4));
        study.Enqueue(new Dictionary<string, object?> { ["x"] = 1.5, ["act"] = "tanh" });
        study.Enqueue(new Dictionary<string, object?> { ["x"] = -3.0, ["n"] = 5 });
        Assert.Equal(2, study.GetTrials(TrialState.Waiting).Count);
        study.Optimize(Quadratic, 3);
        var trials = study.Trials;
        Assert.Equal(1.5, trials[0].Params["x"]);
        Assert.Equal("tanh", trials[0].Params["act"]);
        Assert.Equal(-3.0, trials[1].Params["x"]);
        Assert.Equal(5L, trials[1].Params["n"]);
        Assert.Equal(3, study.GetTrials(TrialState.Complete).Count);
    }

    [Fact]
    public void Ask_and_tell_run_trials_outside_optimize()
    {
        var study = Study.Create(sampler: new RandomSampler(seed: 5));
        var trial = study.Ask();
        double x = trial.SuggestFloat("x", 0, 4);
        Assert.Equal(x, trial.SuggestFloat("x", 0, 4)); // asking again returns the same value
        var finished = study.Tell(trial, x * x);
        Assert.Equal(TrialState.Complete, finished.State);
        Assert.Equal(x * x, finished.Value);
        Assert.Throws<InvalidOperationException>(() => study.Tell(trial, 1.0));
    }

    [Fact]
    public void Warm_start_copies_finished_trials_that_the_sampler_then_learns_from()
    {
        var source = Study.Create(sampler: new RandomSampler(seed: 6));
        source.Optimize(Quadratic, 15);
        var target = Study.Create(sampler: new TpeSampler(seed: 6));
        target.WarmStartFrom(source);
        Assert.Equal(15, target.Trials.Count);
        Assert.Equal(source.BestValue, target.BestValue);
        // With 15 observations TPE is past its start-up: the next trial is model-based, not random.
        var trial = target.Ask();
        double x = trial.SuggestFloat("x", -10, 10);
        double random = new RandomSampler(seed: 6).SampleIndependent(target, trial.Snapshot(), "x", new FloatDistribution(-10, 10));
        Assert.NotEqual(random, x);
    }

    [Fact]
    public void Bad_ranges_fail_naming_the_parameter_and_values()
    {
        var study = Study.Create();
        var trial = study.Ask();
        var e1 = Assert.Throws<ArgumentException>(() => trial.SuggestFloat("lr", 1, 1));
        Assert.Contains("'lr'", e1.Message);
        Assert.Contains("low=1, high=1", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => trial.SuggestFloat("lr", 0, 1, log: true));
        Assert.Contains("'lr'", e2.Message);
        Assert.Contains("low=0", e2.Message);
        Assert.Throws<ArgumentException>(() => trial.SuggestInt("units", 8, 2));
    }

    [Fact]
    public void A_study_name_is_unique_unless_loaded()
    {
        var storage = new Sparta.Tuning.Storage.InMemoryStorage();
        var a = Study.Create("s", storage: storage, seed: 9);
        a.Optimize(t => t.SuggestFloat("x", 0, 1), 2);
        Assert.Throws<Sparta.Tuning.Storage.DuplicateStudyException>(() => Study.Create("s", storage: storage));
        var b = Study.Create("s", storage: storage, loadIfExists: true, seed: 123);
        Assert.Equal(2, b.Trials.Count);
        Assert.Equal(9UL, b.Seed); // the stored seed wins, so trial seeds stay consistent
    }

    [Fact]
    public void A_study_wide_budget_counts_every_trial_including_queued_ones()
    {
        var study = Study.Create(sampler: new RandomSampler(seed: 10));
        study.Enqueue(new Dictionary<string, object?> { ["x"] = 0.5 });
        study.Optimize(t => t.SuggestFloat("x", 0, 1), nTrials: 100, maxTrialsInStudy: 4);
        Assert.Equal(4, study.Trials.Count);
        Assert.Equal(0.5, study.Trials[0].Params["x"]);
        Assert.Null(study.TryAsk(maxTrials: 4));
        // Optuna's own format for a queued configuration: {"name": value} in fixed_params.
        Assert.Equal("{\"x\": 0.5}", study.Trials[0].SystemAttrs[TrialSystemAttrs.FixedParams]);
    }
}
