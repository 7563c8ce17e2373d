using Sparta.Configuration;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.TestFunctions;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>TPE's local trials (<c>trust_region_every</c>): which trials, the box's side, where they land.</summary>
public class TrustRegionTests
{
    private static readonly Dictionary<string, Distribution> Space = new()
    {
        ["x1"] = new FloatDistribution(-5, 10),
        ["lr"] = new FloatDistribution(1e-4, 1, log: true),
    };

    private static double Objective(Trial t) => TestFunction.Branin().Evaluate([t.SuggestFloat("x1", -5, 10), 2 + Math.Log10(t.SuggestFloat("lr", 1e-4, 1, log: true)) * 3]);

    [Fact]
    public void Every_kth_trial_after_the_start_up_is_local()
    {
        var region = new TrustRegion(Every: 3, InitialLength: 0.8, StartupTrials: 5);
        var local = Enumerable.Range(0, 15).Where(n => region.Takes(new FrozenTrial { Number = n })).ToArray();
        Assert.Equal(new[] { 7, 10, 13 }, local);
        Assert.DoesNotContain(Enumerable.Range(0, 50), n => new TrustRegion(0, 0.8, 5).Takes(new FrozenTrial { Number = n }));
    }

    [Fact]
    public void The_side_doubles_after_three_successes_halves_after_max_4_d_failures_and_restarts_below_its_floor()
    {
        var region = new TrustRegion(2, 0.4, 0);
        // A start-up trial sets the best; three local improvements in a row double the side.
        var trials = new List<(bool, double)> { (false, 10), (true, 9), (true, 8), (true, 7) };
        Assert.Equal(0.8, region.Length(trials, 2));
        // An improvement by less than 0.1% is a failure; four failures in a row (d = 2 < 4) halve it.
        trials.AddRange(new[] { (true, 6.9999), (true, 8.0), (true, 9.0), (true, 7.0) });
        Assert.Equal(0.4, region.Length(trials, 2));
        // With d = 6, six failures are needed.
        Assert.Equal(0.8, region.Length(trials, 6));
        // A non-local trial improving the best is no success but moves the bar.
        Assert.Equal(0.4, region.Length(new[] { (false, 10.0), (true, 9), (true, 8), (false, 1), (true, 7) }, 2));
        // Doubling stops at 1.6; halving below 2^-7 starts again from the initial side.
        var improving = Enumerable.Range(0, 30).Select(i => (true, 100.0 - i)).Prepend((false, 101.0));
        Assert.Equal(TrustRegion.MaxLength, region.Length(improving, 2));
        var failing = Enumerable.Repeat((true, 5.0), 4 * 5).Prepend((false, 1.0));
        Assert.Equal(0.4 / 32, region.Length(failing, 2), 15);
        Assert.Equal(0.4, region.Length(failing.Concat(Enumerable.Repeat((true, 5.0), 4)), 2));
    }

    [Fact]
    public void Local_trials_fill_the_box_around_the_best_trial_in_unit_space()
    {
        // The first local trial of many studies: within half the initial side of the best start-up
        // trial in every coordinate (log space for lr), and reaching close to the box's faces.
        const double side = 0.3;
        double largest = 0;
        for (ulong seed = 0; seed < 200; seed++)
        {
            var sampler = new TpeSampler(seed, startupTrials: 4, trustRegionEvery: 2, trustRegionLength: side);
            var study = Study.Create(sampler: sampler, seed: seed);
            study.Optimize(Objective, 6);
            var trials = study.Trials;
            Assert.True(sampler.TrustRegion.Takes(trials[5]));
            var best = trials.Take(5).MinBy(t => t.Value!.Value)!;
            foreach (var (name, distribution) in Space)
            {
                double distance = Math.Abs(UnitSpace.ToUnit(distribution, trials[5].InternalParams[name]) - UnitSpace.ToUnit(distribution, best.InternalParams[name]));
                Assert.True(distance <= side / 2 + 1e-12, $"seed {seed} {name}: {distance} from the best trial, side {side}");
                largest = Math.Max(largest, distance);
            }
        }
        Assert.True(largest > 0.9 * side / 2, $"largest distance {largest}: the draws do not fill the box");
    }

    [Fact]
    public void Local_trials_are_the_same_from_a_fresh_sampler_and_on_branin_beat_tpe_alone()
    {
        // The side is replayed from the history, so a sampler that drew nothing before proposes the same.
        var study = Study.Create(sampler: new TpeSampler(3, trustRegionEvery: 2), seed: 3);
        study.Optimize(Objective, 40);
        study.Ask();
        var asked = study.Ask().Snapshot();
        Assert.True(new TpeSampler(3, trustRegionEvery: 2).TrustRegion.Takes(asked));
        var space = new TpeSampler(3, trustRegionEvery: 2).InferRelativeSearchSpace(study, asked);
        Assert.Equal(Space.Keys.Order(), space.Keys.Order());
        Assert.Equal(new TpeSampler(3, trustRegionEvery: 2).SampleRelative(study, asked, space), study.Sampler.SampleRelative(study, asked, space));

        // Local refinement finds branin's minimum more closely than TPE alone (median over 10 seeds, 60 trials).
        var branin = TestFunction.Branin();
        double Median(Func<ulong, ISampler> create) => Enumerable.Range(0, 10).Select(s =>
        {
            var b = Study.Create(sampler: create((ulong)s), seed: (ulong)s);
            b.Optimize(t => branin.Evaluate([t.SuggestFloat("x1", -5, 10), t.SuggestFloat("x2", 0, 15)]), 60);
            return b.BestValue;
        }).Order().ElementAt(5);
        Assert.True(Median(s => new TpeSampler(s, trustRegionEvery: 2, trustRegionLength: 0.4)) < Median(s => new TpeSampler(s)));
    }

    [Fact]
    public void With_several_candidates_a_local_trial_takes_the_draw_tpe_rates_highest_and_stays_in_the_box()
    {
        // One study, its next trial local; the proposals of 100 sampler seeds, one draw or the best of 24 by l/g.
        var study = Study.Create(sampler: new TpeSampler(5, trustRegionEvery: 2), seed: 5);
        study.Optimize(Objective, 30);
        study.Ask();
        var asked = study.Ask().Snapshot();
        var best = study.BestTrial;
        var (lower, upper) = new TpeSampler().Estimators(study, asked, Space)!.Value;
        double Score(IReadOnlyDictionary<string, double> p)
        {
            var point = p.ToDictionary(e => e.Key, e => new[] { e.Value });
            return lower.LogPdf(point)[0] - upper.LogPdf(point)[0];
        }
        double Mean(int candidates) => Enumerable.Range(0, 100).Average(seed =>
        {
            var sampler = new TpeSampler((ulong)seed, trustRegionEvery: 2, trustRegionCandidates: candidates);
            var proposal = sampler.SampleRelative(study, asked, sampler.InferRelativeSearchSpace(study, asked));
            foreach (var (name, distribution) in Space)
                Assert.True(Math.Abs(UnitSpace.ToUnit(distribution, proposal[name]) - UnitSpace.ToUnit(distribution, best.InternalParams[name])) <= TrustRegion.MaxLength / 2);
            return Score(proposal);
        });
        Assert.True(Mean(24) > Mean(1) + 0.1, $"mean log l/g: {Mean(24)} with 24 candidates, {Mean(1)} with one");
    }

    [Fact]
    public void Bad_settings_name_the_key_and_the_value()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => SamplerRegistry.Create(new ComponentConfig("tpe", [new("trust_region_every", -1.0)])));
        Assert.Contains("trust_region_every must be at least 0, got -1", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => SamplerRegistry.Create(new ComponentConfig("tpe", [new("trust_region_length", 2.0)])));
        Assert.Contains("trust_region_length must be in [0.0078125, 1.6), got 2", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => SamplerRegistry.Create(new ComponentConfig("tpe", [new("trust_region_candidates", 0.0)])));
        Assert.Contains("trust_region_candidates must be at least 1, got 0", e.Message);
        var tpe = Assert.IsType<TpeSampler>(SamplerRegistry.Create(new ComponentConfig("tpe", [new("trust_region_every", 3.0), new("trust_region_length", 0.5)]), 1));
        Assert.Equal((3, 0.5), (tpe.TrustRegion.Every, tpe.TrustRegion.InitialLength));
    }
}
