using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Tests.Storage;
using Sparta.Tuning.TestFunctions;
using Xunit.Abstractions;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>
/// TPE on branin beside Optuna 3.1 run live, number for number rather than in distribution.
/// (1) Optuna's own studies replayed: every trial Optuna's TPESampler(seed) chose, start-up and
/// TPE alike, is what Sparta's code chooses from the same history and the same uniforms (the
/// study's NumPy stream), to 1e-9. (2) For Optuna's and Sparta's studies after 20, 50, 75 and 99
/// trials: the split, both Parzen estimators (weights, centres, widths, truncation bounds) and
/// log l(x) - log g(x) on a grid and at points within 1e-4 of the best trials agree to 1e-9.
/// Together: given the same history and the same uniforms the two samplers are the same function,
/// so two studies can differ only in their random streams.
/// </summary>
public class TpeExactParityTests(ITestOutputHelper output)
{
    private static readonly int[] Prefixes = { 20, 50, 75, 99 };
    private static readonly int[] Seeds = { 0, 1, 2, 3 };
    private const int Candidates = 24;
    private static readonly Dictionary<string, Distribution> Space = new()
    {
        ["x1"] = new FloatDistribution(-5, 10),
        ["x2"] = new FloatDistribution(0, 15),
    };

    private const string OptunaSide = """
        import math
        import numpy as np
        from optuna.distributions import FloatDistribution
        from optuna.samplers import TPESampler
        from optuna.samplers._tpe.sampler import _get_observation_pairs, _split_observation_pairs, default_gamma
        from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator
        sparta_studies, seeds, prefixes = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
        dists = {"x1": FloatDistribution(-5, 10), "x2": FloatDistribution(0, 15)}
        def branin(x1, x2):
            a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
            return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s
        trials = max(prefixes)
        replays = []
        for seed in seeds:
            study = optuna.create_study(sampler=TPESampler(seed=seed))
            study.optimize(lambda t: branin(t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)), n_trials=trials)
            # The start-up RandomSampler and TPE's candidates each draw from RandomState(seed): 2 uniforms a
            # start-up trial, then 2 x 24 (components, then truncated normals) per parameter of a TPE trial.
            replays.append({"seed": seed, "trials": [{"params": t.params, "value": t.value} for t in study.trials],
                            "uniforms": np.random.RandomState(seed).random_sample(2 * 2 * 24 * trials).tolist()})
        parameters = TPESampler()._parzen_estimator_parameters
        def fit(history):
            study = optuna.create_study()
            for t in history:
                study.add_trial(optuna.trial.create_trial(value=t["value"], params=t["params"], distributions=dists))
            out = {}
            for name, dist in dists.items():
                values, scores, _ = _get_observation_pairs(study, [name])
                below, above = _split_observation_pairs(scores, default_gamma(len(scores)), None)
                v = np.asarray(values[name], dtype=float)
                l = _ParzenEstimator({name: v[below]}, {name: dist}, parameters)
                g = _ParzenEstimator({name: v[above]}, {name: dist}, parameters)
                near = np.clip(np.add.outer(v[below], [-1e-2, -1e-4, 0, 1e-4, 1e-2]).ravel(), dist.low, dist.high)
                points = np.concatenate([np.linspace(dist.low, dist.high, 301), near])
                out[name] = {"below_indices": below.tolist(), "points": points.tolist(),
                             "score": (l.log_pdf({name: points}) - g.log_pdf({name: points})).tolist(),
                             "below": {"weights": l._weights.tolist(), "mus": l._mus[name].tolist(), "sigmas": l._sigmas[name].tolist(),
                                       "low": float(l._low[name]), "high": float(l._high[name])},
                             "above": {"weights": g._weights.tolist(), "mus": g._mus[name].tolist(), "sigmas": g._sigmas[name].tolist(),
                                       "low": float(g._low[name]), "high": float(g._high[name])}}
            return out
        histories = [r["trials"] for r in replays] + sparta_studies
        print(json.dumps({"replays": replays, "fits": [[fit(h[:k]) for k in prefixes] for h in histories]}))
        """;

    private sealed record Observed(double X1, double X2, double Value);

    private static List<Observed> SpartaStudy(int seed)
    {
        var branin = TestFunction.Branin();
        var study = Study.Create(sampler: new TpeSampler(seed: (ulong)seed), seed: (ulong)seed);
        study.Optimize(t => branin.Evaluate([t.SuggestFloat("x1", -5, 10), t.SuggestFloat("x2", 0, 15)]), Prefixes.Max());
        return study.GetTrials(TrialState.Complete).Select(t => new Observed(t.InternalParams["x1"], t.InternalParams["x2"], t.Value!.Value)).ToList();
    }

    private static string ToJson(IEnumerable<List<Observed>> studies) => new JsonArray(studies.Select(s => (JsonNode)new JsonArray(s.Select(t => (JsonNode)new JsonObject
    {
        ["value"] = t.Value,
        ["params"] = new JsonObject { ["x1"] = t.X1, ["x2"] = t.X2 },
    }).ToArray())).ToArray()).ToJsonString();

    private static List<Observed> FromJson(JsonElement trials) => trials.EnumerateArray().Select(t =>
        new Observed(t.GetProperty("params").GetProperty("x1").GetDouble(), t.GetProperty("params").GetProperty("x2").GetDouble(), t.GetProperty("value").GetDouble())).ToList();

    /// <summary>A study holding <paramref name="history"/>, and the trial it asks next.</summary>
    private static (Study Study, FrozenTrial Next) Replay(IEnumerable<Observed> history)
    {
        var study = Study.Create();
        study.AddTrials(history.Select(t => new FrozenTrial
        {
            State = TrialState.Complete,
            Values = new[] { t.Value },
            InternalParams = new Dictionary<string, double> { ["x1"] = t.X1, ["x2"] = t.X2 },
            Distributions = new Dictionary<string, Distribution>(Space),
        }).ToList());
        return (study, study.Ask().Snapshot());
    }

    // Optuna's studies and both sides' fits, run once for the class's tests (both sides are seeded).
    private static readonly Lazy<(JsonElement Optuna, List<Observed>[] Sparta)> Shared = new(() =>
    {
        var spartaStudies = Seeds.Select(SpartaStudy).ToArray();
        return (PythonOptuna.Run(OptunaSide, ToJson(spartaStudies), JsonSerializer.Serialize(Seeds), JsonSerializer.Serialize(Prefixes)), spartaStudies);
    });

    private static JsonElement RunOptuna(out List<Observed>[] spartaStudies)
    {
        (var optuna, spartaStudies) = Shared.Value;
        return optuna;
    }

    [OptunaFact]
    public void Every_trial_of_optunas_branin_studies_is_what_sparta_chooses_from_the_same_history_and_uniforms()
    {
        var optuna = RunOptuna(out _);
        var branin = TestFunction.Branin();
        double worst = 0, worstValue = 0;
        foreach (var (seed, trial, name, optunas, spartas) in Replays(optuna, new TpeSampler()))
        {
            worst = Math.Max(worst, Math.Abs(spartas - optunas));
            Assert.True(Math.Abs(spartas - optunas) <= 1e-9, $"seed {seed} trial {trial} {name}: Optuna chose {optunas:R}, Sparta {spartas:R} from the same history and uniforms");
        }
        // The objective as each side evaluates it: Sparta's branin at Optuna's points gives Optuna's values.
        foreach (var replay in optuna.GetProperty("replays").EnumerateArray())
            foreach (var t in FromJson(replay.GetProperty("trials")))
                worstValue = Math.Max(worstValue, Math.Abs(branin.Evaluate([t.X1, t.X2]) - t.Value) / Math.Max(1, Math.Abs(t.Value)));
        Assert.True(worstValue <= 1e-12, $"Sparta's branin departs from Optuna's side's by {worstValue:E2} (relative)");
        output.WriteLine($"replayed {Seeds.Length} Optuna studies of {Prefixes.Max()} trials: largest difference in a chosen parameter {worst:E2}, in the objective's value {worstValue:E2}");
    }

    [OptunaFact]
    public void The_replay_sees_a_departure_as_small_as_endpoints_considered()
    {
        // The replay has the power to fail: TPE with Optuna's consider_endpoints=True instead of its
        // default widens only the outermost components, and chooses differently from the same uniforms.
        var optuna = RunOptuna(out _);
        var departed = Replays(optuna, new TpeSampler(parzen: new ParzenOptions { ConsiderEndpoints = true })).Count(r => Math.Abs(r.Spartas - r.Optunas) > 1e-9);
        output.WriteLine($"consider_endpoints: {departed} chosen parameters depart from Optuna's");
        Assert.True(departed > 0);
    }

    /// <summary>
    /// Each parameter of each trial of Optuna's studies as Optuna chose it and as <paramref name="sampler"/>
    /// chooses it from the trials before it and the same uniforms.
    /// </summary>
    private static List<(int Seed, int Trial, string Name, double Optunas, double Spartas)> Replays(JsonElement optuna, TpeSampler sampler)
    {
        var result = new List<(int, int, string, double, double)>();
        foreach (var replay in optuna.GetProperty("replays").EnumerateArray())
        {
            var trials = FromJson(replay.GetProperty("trials"));
            var uniforms = replay.GetProperty("uniforms").EnumerateArray().Select(u => u.GetDouble()).ToArray();
            int seed = replay.GetProperty("seed").GetInt32();
            for (int k = 0; k < trials.Count; k++)
            {
                var (study, next) = Replay(trials.Take(k));
                foreach (var (name, i) in new[] { ("x1", 0), ("x2", 1) })
                {
                    double chosen;
                    if (k < sampler.StartupTrials)
                    {
                        // RandomSampler(seed): one uniform per parameter, x1 then x2, trial after trial.
                        chosen = UnitSpace.FromUnit(Space[name], uniforms[2 * k + i]);
                    }
                    else
                    {
                        var space = new Dictionary<string, Distribution> { [name] = Space[name] };
                        var (lower, upper) = sampler.Estimators(study, next, space) ?? throw new InvalidOperationException($"no estimators at trial {k}");
                        int at = ((k - sampler.StartupTrials) * 2 + i) * 2 * Candidates;
                        chosen = TpeSampler.Choose(lower, upper, lower.Sample(() => uniforms[at++], Candidates))[name];
                    }
                    result.Add((seed, k, name, name == "x1" ? trials[k].X1 : trials[k].X2, chosen));
                }
            }
        }
        return result;
    }

    [OptunaFact]
    public void Split_estimators_and_log_ratio_match_optunas_to_1e9_on_both_tools_branin_studies()
    {
        var optuna = RunOptuna(out var spartaStudies);
        var histories = optuna.GetProperty("replays").EnumerateArray().Select(r => FromJson(r.GetProperty("trials"))).Concat(spartaStudies).ToArray();
        var fits = optuna.GetProperty("fits").EnumerateArray().ToArray();
        var sampler = new TpeSampler();
        var worst = new Dictionary<string, double>();
        for (int h = 0; h < histories.Length; h++)
        {
            string who = h < Seeds.Length ? $"Optuna seed {Seeds[h]}" : $"Sparta seed {Seeds[h - Seeds.Length]}";
            var atPrefix = fits[h].EnumerateArray().ToArray();
            for (int p = 0; p < Prefixes.Length; p++)
            {
                var (study, next) = Replay(histories[h].Take(Prefixes[p]));
                foreach (var name in Space.Keys)
                {
                    var expected = atPrefix[p].GetProperty(name);
                    string what = $"{who}, {Prefixes[p]} trials, {name}";
                    var space = new Dictionary<string, Distribution> { [name] = Space[name] };
                    var (lower, upper) = sampler.Estimators(study, next, space)!.Value;
                    var isBelow = sampler.Split(study, next).IsBelow;
                    Assert.Equal(expected.GetProperty("below_indices").EnumerateArray().Select(i => i.GetInt32()), Enumerable.Range(0, isBelow.Length).Where(i => isBelow[i]));
                    foreach (var (side, estimator) in new[] { ("below", lower), ("above", upper) })
                    {
                        var e = expected.GetProperty(side);
                        var (mus, sigmas) = estimator.Gaussians(name);
                        var (low, high) = estimator.Truncation(name);
                        Close(worst, "weights", Doubles(e.GetProperty("weights")), estimator.Weights, $"{what} {side}");
                        Close(worst, "mus", Doubles(e.GetProperty("mus")), mus, $"{what} {side}");
                        Close(worst, "sigmas", Doubles(e.GetProperty("sigmas")), sigmas, $"{what} {side}");
                        Close(worst, "low/high", new[] { e.GetProperty("low").GetDouble(), e.GetProperty("high").GetDouble() }, new[] { low, high }, $"{what} {side}");
                    }
                    var points = Doubles(expected.GetProperty("points"));
                    var at = new Dictionary<string, double[]> { [name] = points };
                    var logL = lower.LogPdf(at);
                    var logG = upper.LogPdf(at);
                    Close(worst, "log l - log g", Doubles(expected.GetProperty("score")), points.Select((_, i) => logL[i] - logG[i]).ToArray(), $"{what} at fixed points");
                }
            }
        }
        foreach (var (what, difference) in worst)
            output.WriteLine($"{what}: largest relative difference {difference:E2} over {histories.Length} studies x {Prefixes.Length} prefixes x 2 parameters");
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>Each value within 1e-9 of Optuna's (relative beyond 1); records the largest difference per quantity.</summary>
    private static void Close(Dictionary<string, double> worst, string quantity, double[] expected, IReadOnlyList<double> actual, string what)
    {
        Assert.True(expected.Length == actual.Count, $"{what} {quantity}: {actual.Count} values, Optuna has {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i]));
            worst[quantity] = Math.Max(worst.GetValueOrDefault(quantity), difference);
            Assert.True(difference <= 1e-9, string.Create(CultureInfo.InvariantCulture, $"{what} {quantity}[{i}]: Sparta {actual[i]:R}, Optuna {expected[i]:R}"));
        }
    }
}
