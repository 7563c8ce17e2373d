using System.Globalization;
using System.Text.Json;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Tests.Storage;

/// <summary>
/// The study database is shared with Python's Optuna 3.1 in both directions: Optuna reads what
/// Sparta writes, and Sparta continues a study Optuna began. Each check runs on SQLite and on
/// PostgreSQL.
/// </summary>
public sealed class OptunaInteropTests : IClassFixture<PostgresTestServer>, IDisposable
{
    private readonly PostgresTestServer _server;
    private readonly TemporaryDirectory _directory = new();

    public OptunaInteropTests(PostgresTestServer server) => _server = server;

    public void Dispose() => _directory.Dispose();

    [OptunaFact] public void Optuna_reads_a_study_Sparta_wrote_on_sqlite() => OptunaReadsSpartaStudy(_directory.SqliteUrl());
    [OptunaPostgresFact] public void Optuna_reads_a_study_Sparta_wrote_on_postgresql() => OptunaReadsSpartaStudy(_server.CreateDatabase());
    [OptunaFact] public void Sparta_continues_a_study_Optuna_began_on_sqlite() => SpartaContinuesOptunaStudy(_directory.SqliteUrl());
    [OptunaPostgresFact] public void Sparta_continues_a_study_Optuna_began_on_postgresql() => SpartaContinuesOptunaStudy(_server.CreateDatabase());

    private static readonly FloatDistribution Lr = new(1e-4, 1, log: true);
    private static readonly IntDistribution Units = new(16, 256, step: 16);
    private static readonly CategoricalDistribution Activation = new(new object?[] { "relu", "tanh", null, 3L, 2.5, true });

    private static void OptunaReadsSpartaStudy(string url)
    {
        var written = new List<FrozenTrial>();
        using (var storage = StorageUrl.Open(url))
        {
            int s = storage.CreateStudy("sparta-written", new[] { StudyDirection.Maximize });
            int complete = storage.CreateTrial(s);
            storage.SetTrialParam(complete, "lr", 0.0123, Lr);
            storage.SetTrialParam(complete, "units", 64, Units);
            storage.SetTrialParam(complete, "activation", 1, Activation);
            storage.SetTrialIntermediateValue(complete, 0, 0.5);
            storage.SetTrialIntermediateValue(complete, 1, double.PositiveInfinity);
            storage.SetTrialIntermediateValue(complete, 2, double.NaN);
            storage.SetTrialUserAttr(complete, "note", "\"h\\u00e9llo\"");
            storage.SetTrialSystemAttr(complete, TrialSystemAttrs.Seed, "12345");
            storage.SetTrialStateValues(complete, TrialState.Complete, new[] { 0.75 });

            int pruned = storage.CreateTrial(s);
            storage.SetTrialParam(pruned, "activation", 3, Activation);
            storage.SetTrialIntermediateValue(pruned, 0, 0.125);
            storage.SetTrialStateValues(pruned, TrialState.Pruned, new[] { 0.125 });

            int failed = storage.CreateTrial(s);
            storage.SetTrialSystemAttr(failed, TrialSystemAttrs.FailReason, "\"loss became NaN at epoch 3\"");
            storage.SetTrialStateValues(failed, TrialState.Fail);

            storage.CreateTrial(s, new FrozenTrial
            {
                State = TrialState.Waiting,
                SystemAttrs = new Dictionary<string, string> { [TrialSystemAttrs.FixedParams] = "{\"lr\": 0.5}" },
            });
            storage.CreateTrial(s);
            written.AddRange(storage.GetAllTrials(s));
        }

        var study = PythonOptuna.Run("print(dump(optuna.load_study(storage=sys.argv[1], study_name=sys.argv[2])))", url, "sparta-written");

        Assert.Equal(new[] { "MAXIMIZE" }, study.GetProperty("directions").EnumerateArray().Select(d => d.GetString()));
        var trials = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(written.Count, trials.Count);
        for (int i = 0; i < written.Count; i++) AssertSame(written[i], trials[i]);
    }

    private static void SpartaContinuesOptunaStudy(string url)
    {
        var began = PythonOptuna.Run("""
            study = optuna.create_study(storage=sys.argv[1], study_name="optuna-written", sampler=optuna.samplers.RandomSampler(seed=7))
            def objective(trial):
                x = trial.suggest_float("x", -5, 5)
                n = trial.suggest_int("n", 1, 8, log=True)
                c = trial.suggest_categorical("c", ["a", "b", None])
                for step in range(3):
                    trial.report(x * x + step, step)
                if trial.number == 2:
                    raise optuna.TrialPruned()
                if trial.number == 3:
                    raise ValueError("diverged")
                trial.set_user_attr("n_plus_one", n + 1)
                return x * x + n
            study.optimize(objective, n_trials=5, catch=(ValueError,))
            study.enqueue_trial({"x": 1.5, "n": 2, "c": "b"})
            print(dump(study))
            """, url);

        int waitingNumber;
        using (var storage = StorageUrl.Open(url))
        {
            var info = storage.FindStudy("optuna-written")!;
            Assert.Equal(new[] { StudyDirection.Minimize }, info.Directions);
            var read = storage.GetAllTrials(info.StudyId);
            var expected = began.GetProperty("trials").EnumerateArray().ToList();
            Assert.Equal(expected.Count, read.Count);
            for (int i = 0; i < read.Count; i++) AssertSame(read[i], expected[i]);
            Assert.Equal(new[] { TrialState.Complete, TrialState.Complete, TrialState.Pruned, TrialState.Fail, TrialState.Complete, TrialState.Waiting },
                read.Select(t => t.State));

            // The queued configuration is claimed and run with Optuna's distributions, then two new trials follow.
            var distributions = read[0].Distributions;
            int claimed = storage.ClaimWaitingTrial(info.StudyId)!.Value;
            var fixedParams = JsonDocument.Parse(storage.GetTrial(claimed).SystemAttrs[TrialSystemAttrs.FixedParams]).RootElement;
            waitingNumber = storage.GetTrial(claimed).Number;
            storage.SetTrialParam(claimed, "x", fixedParams.GetProperty("x").GetDouble(), distributions["x"]);
            storage.SetTrialParam(claimed, "n", fixedParams.GetProperty("n").GetInt64(), distributions["n"]);
            storage.SetTrialParam(claimed, "c", distributions["c"].ToInternal(fixedParams.GetProperty("c").GetString()), distributions["c"]);
            storage.SetTrialStateValues(claimed, TrialState.Complete, new[] { 1.5 * 1.5 + 2 });
            for (int k = 0; k < 2; k++)
            {
                int t = storage.CreateTrial(info.StudyId);
                storage.SetTrialParam(t, "x", -1.0 - k, distributions["x"]);
                storage.SetTrialParam(t, "n", 8, distributions["n"]);
                storage.SetTrialParam(t, "c", 2, distributions["c"]);
                storage.SetTrialIntermediateValue(t, 0, 10.0 + k);
                storage.SetTrialStateValues(t, TrialState.Complete, new[] { (1.0 + k) * (1.0 + k) + 8 });
            }
        }

        var continued = PythonOptuna.Run("print(dump(optuna.load_study(storage=sys.argv[1], study_name='optuna-written')))", url);
        var trials = continued.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 8), trials.Select(t => t.GetProperty("number").GetInt32()));
        Assert.All(trials.Skip(waitingNumber), t => Assert.Equal("COMPLETE", t.GetProperty("state").GetString()));
        var claimedTrial = trials[waitingNumber];
        Assert.Equal("1.5", claimedTrial.GetProperty("params").GetProperty("x").GetString());
        Assert.Equal(2, claimedTrial.GetProperty("params").GetProperty("n").GetInt64());
        Assert.Equal("b", claimedTrial.GetProperty("params").GetProperty("c").GetString());
        var last = trials[^1];
        Assert.Equal("-2.0", last.GetProperty("params").GetProperty("x").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("params").GetProperty("c").ValueKind);
        Assert.Equal("12.0", last.GetProperty("values")[0].GetString());
        Assert.Equal("11.0", last.GetProperty("intermediate").GetProperty("0").GetString());
    }

    /// <summary>Python's repr of a float, as the dump prints them: json.dumps's spelling except for inf and nan.</summary>
    private static string PythonRepr(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : PythonJson.Float(value);

    /// <summary>One trial as Sparta holds it against the same trial as Optuna printed it.</summary>
    private static void AssertSame(FrozenTrial sparta, JsonElement optuna)
    {
        Assert.Equal(sparta.Number, optuna.GetProperty("number").GetInt32());
        Assert.Equal(sparta.State.ToOptunaName(), optuna.GetProperty("state").GetString());
        var values = optuna.GetProperty("values");
        if (sparta.Values is null) Assert.Equal(JsonValueKind.Null, values.ValueKind);
        else Assert.Equal(sparta.Values.Select(PythonRepr), values.EnumerateArray().Select(v => v.GetString()));

        var pythonParams = optuna.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(sparta.Params.Keys.Order(), pythonParams.Keys.Order());
        foreach (var (name, value) in sparta.Params)
        {
            string expected = value is double d ? JsonSerializer.Serialize(PythonRepr(d)) : PythonJson.Scalar(value);
            Assert.Equal(expected, pythonParams[name].GetRawText());
            Assert.Equal(sparta.Distributions[name].ToJson(), optuna.GetProperty("distributions").GetProperty(name).GetString());
        }

        var intermediate = optuna.GetProperty("intermediate").EnumerateObject()
            .ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetString()!);
        Assert.Equal(sparta.IntermediateValues.OrderBy(p => p.Key).Select(p => (p.Key, PythonRepr(p.Value))),
            intermediate.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));

        AssertSameAttrs(sparta.UserAttrs, optuna.GetProperty("user_attrs"));
        AssertSameAttrs(sparta.SystemAttrs, optuna.GetProperty("system_attrs"));

        Assert.Equal(sparta.DatetimeStart is null, optuna.GetProperty("start").ValueKind == JsonValueKind.Null);
        if (sparta.DatetimeStart is DateTime start)
            Assert.Equal(start, DateTime.Parse(optuna.GetProperty("start").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
        Assert.Equal(sparta.DatetimeComplete is null, optuna.GetProperty("complete").ValueKind == JsonValueKind.Null);
    }

    /// <summary>Attribute values compared as JSON values (Python re-serializes them in its own spacing).</summary>
    private static void AssertSameAttrs(IReadOnlyDictionary<string, string> sparta, JsonElement optuna)
    {
        var python = optuna.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(sparta.Keys.Order(), python.Keys.Order());
        foreach (var (key, json) in sparta)
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(json).RootElement, python[key]), $"attribute {key}: {json} vs {python[key].GetRawText()}");
    }
}
