using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparta.Tensors;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Tests.Storage;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>
/// TPE against Optuna 3.1 itself, run live: the same history (ties in values and in parameters,
/// pruned trials with and without reports, a NaN report, a conditional parameter, more than 25
/// observations so the weights ramp) is given to both, and the split into below and above and
/// every Parzen estimator's weights, centres, widths and choice probabilities must agree.
/// </summary>
public class TpeParityTests
{
    private static readonly Dictionary<string, Distribution> Space = new()
    {
        ["x"] = new FloatDistribution(-5, 5),
        ["lr"] = new FloatDistribution(1e-4, 1, log: true),
        ["n"] = new IntDistribution(1, 9, step: 2),
        ["c"] = new CategoricalDistribution(new object?[] { "a", "b", "c" }),
    };

    private const string OptunaSide = """
        import numpy as np
        from optuna.distributions import FloatDistribution, IntDistribution, CategoricalDistribution
        from optuna.samplers._tpe.sampler import _get_observation_pairs, _split_observation_pairs, default_gamma
        from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator
        space = {"x": FloatDistribution(-5, 5), "lr": FloatDistribution(1e-4, 1, log=True),
                 "n": IntDistribution(1, 9, step=2), "c": CategoricalDistribution(["a", "b", "c"])}
        history = json.loads(sys.argv[1])
        study = optuna.create_study(direction="maximize")
        for t in history:
            params = {k: space[k].to_external_repr(v) for k, v in t["params"].items()}
            study.add_trial(optuna.trial.create_trial(
                state=optuna.trial.TrialState[t["state"]], value=t["value"], params=params,
                distributions={k: space[k] for k in params},
                intermediate_values={int(s): float(v) for s, v in t["intermediate"].items()}))
        def estimator(mpe, names):
            out = {"weights": mpe._weights.tolist()}
            for k in names:
                if isinstance(space[k], CategoricalDistribution):
                    out[k] = mpe._categorical_weights[k].tolist()
                else:
                    out[k] = {"mus": mpe._mus[k].tolist(), "sigmas": mpe._sigmas[k].tolist()}
            return out
        def fit(names, multivariate):
            sub = {k: space[k] for k in names}
            parameters = optuna.samplers.TPESampler(multivariate=multivariate)._parzen_estimator_parameters
            values, scores, _ = _get_observation_pairs(study, names)
            below, above = _split_observation_pairs(scores, default_gamma(len(scores)), None)
            config = {k: np.asarray(v, dtype=float) for k, v in values.items()}
            holds = np.all([~np.isnan(v) for v in config.values()], axis=0)
            fitted = [_ParzenEstimator({k: v[i[holds[i]]] for k, v in config.items()}, sub, parameters) for i in (below, above)]
            return {"below_indices": below.tolist(), "below": estimator(fitted[0], names), "above": estimator(fitted[1], names)}
        print(json.dumps({"x": fit(["x"], False), "lr": fit(["lr"], False), "n": fit(["n"], False), "c": fit(["c"], False),
                          "joint": fit(["x", "lr", "n"], True)}))
        """;

    /// <summary>
    /// 40 trials of a maximized study: values rounded to one decimal (ties), x often on half
    /// units (tied centres), c drawn only when x &gt; 0, and some trials pruned.
    /// </summary>
    private static List<FrozenTrial> History()
    {
        var random = new RandomGenerator(7);
        var trials = new List<FrozenTrial>();
        for (int k = 0; k < 40; k++)
        {
            double x = random.Uniform(-5, 5);
            if (k % 3 == 0) x = Math.Round(x * 2) / 2;
            var internals = new Dictionary<string, double>
            {
                ["x"] = x,
                ["lr"] = Math.Exp(random.Uniform(Math.Log(1e-4), 0)),
                ["n"] = 1 + 2 * random.NextInt(5),
            };
            if (x > 0) internals["c"] = random.NextInt(3);
            double value = Math.Round(-x * x / 5 + Math.Log10(internals["lr"]) / 4 + random.NextDouble(), 1);
            var trial = new FrozenTrial
            {
                State = TrialState.Complete,
                Values = new[] { value },
                InternalParams = internals,
                Distributions = internals.Keys.ToDictionary(name => name, name => Space[name]),
            };
            if (k % 7 == 3)
                trial = trial with { State = TrialState.Pruned, IntermediateValues = new Dictionary<int, double> { [0] = value - 1, [1 + k % 2] = value } };
            if (k == 24)
                trial = trial with { State = TrialState.Pruned, Values = null, IntermediateValues = new Dictionary<int, double> { [0] = 1, [2] = double.NaN } };
            if (k % 11 == 5)
                trial = trial with { State = TrialState.Pruned, Values = null, IntermediateValues = new Dictionary<int, double>() };
            trials.Add(trial);
        }
        return trials;
    }

    private static string ToOptunaJson(IEnumerable<FrozenTrial> trials) => new JsonArray(trials.Select(t => (JsonNode)new JsonObject
    {
        ["state"] = t.State.ToOptunaName(),
        ["value"] = t.Value,
        ["params"] = new JsonObject(t.InternalParams.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["intermediate"] = new JsonObject(t.IntermediateValues.Select(p =>
            KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value.ToString("R", CultureInfo.InvariantCulture)))),
    }).ToArray()).ToJsonString();

    [OptunaFact]
    public void Split_and_parzen_estimators_match_optunas_on_the_same_history()
    {
        var history = History();
        var optuna = PythonOptuna.Run(OptunaSide, ToOptunaJson(history));
        var study = Study.Create(direction: StudyDirection.Maximize);
        study.AddTrials(history);
        var asked = study.Ask().Snapshot();

        foreach (string name in new[] { "x", "lr", "n", "c" })
            Compare(optuna.GetProperty(name), new TpeSampler(), asked, study, new[] { name });
        Compare(optuna.GetProperty("joint"), new TpeSampler(multivariate: true), asked, study, new[] { "x", "lr", "n" });
    }

    [OptunaFact]
    public void Argsort_orders_ties_as_numpys_quicksort()
    {
        // Few distinct values, so most elements tie; sizes on both sides of the insertion-sort cutoff.
        var random = new RandomGenerator(3);
        var arrays = new[] { 5, 17, 18, 40, 101, 1000 }.Select(n => Enumerable.Range(0, n).Select(_ => (double)random.NextInt(1 + n / 4)).ToArray()).ToArray();
        string json = new JsonArray(arrays.Select(a => (JsonNode)new JsonArray(a.Select(v => (JsonNode)v).ToArray())).ToArray()).ToJsonString();
        var expected = PythonOptuna.Run("import numpy as np\nprint(json.dumps([np.argsort(np.asarray(a, dtype=float)).tolist() for a in json.loads(sys.argv[1])]))", json);
        for (int k = 0; k < arrays.Length; k++)
            Assert.Equal(expected[k].EnumerateArray().Select(i => i.GetInt32()), NumpyArgsort.Argsort(arrays[k]));
    }

    private static void Compare(JsonElement expected, TpeSampler sampler, FrozenTrial asked, Study study, string[] names)
    {
        var space = names.ToDictionary(n => n, n => Space[n]);
        var (below, above) = sampler.Estimators(study, asked, space) ?? throw new InvalidOperationException("no estimators after 40 trials");
        var isBelow = sampler.Split(study, asked).IsBelow;
        Assert.Equal(expected.GetProperty("below_indices").EnumerateArray().Select(i => i.GetInt32()), Enumerable.Range(0, isBelow.Length).Where(i => isBelow[i]));
        Same(expected.GetProperty("below"), below, names, $"{string.Join(",", names)} below");
        Same(expected.GetProperty("above"), above, names, $"{string.Join(",", names)} above");
    }

    private static void Same(JsonElement expected, ParzenEstimator actual, string[] names, string what)
    {
        Close(Doubles(expected.GetProperty("weights")), actual.Weights, $"{what} weights");
        foreach (string name in names)
        {
            var e = expected.GetProperty(name);
            if (Space[name] is CategoricalDistribution)
            {
                var rows = e.EnumerateArray().ToArray();
                var probabilities = actual.ChoiceProbabilities(name);
                Assert.Equal(rows.Length, probabilities.Count);
                for (int r = 0; r < rows.Length; r++) Close(Doubles(rows[r]), probabilities[r], $"{what} {name} row {r}");
            }
            else
            {
                var (mus, sigmas) = actual.Gaussians(name);
                Close(Doubles(e.GetProperty("mus")), mus, $"{what} {name} mus");
                Close(Doubles(e.GetProperty("sigmas")), sigmas, $"{what} {name} sigmas");
            }
        }
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void Close(double[] expected, IReadOnlyList<double> actual, string what)
    {
        Assert.True(expected.Length == actual.Count, $"{what}: {actual.Count} values, Optuna has {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: Sparta {actual[i]:R}, Optuna {expected[i]:R}");
    }
}
