using System.Globalization;
using System.Text.Json;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.TestFunctions;
using Sparta.Tuning.Tests.Storage;

namespace Sparta.Tuning.Tests.MultiObjectives;

/// <summary>
/// A study of several objectives in a database shared with Python's Optuna 3.1: Optuna's
/// load_study reads the directions, values, constraints and Pareto front of a study Sparta ran, and
/// Sparta reads a constrained NSGA-II study Optuna ran (its front is Optuna's best_trials) and goes
/// on with it from the generation Optuna reached.
/// </summary>
public sealed class MultiObjectiveStorageTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static readonly StudyDirection[] Directions = [StudyDirection.Minimize, StudyDirection.Minimize];

    private static double Float(JsonElement repr) => double.Parse(repr.GetString()!, CultureInfo.InvariantCulture);

    [OptunaFact]
    public void Optuna_reads_the_directions_values_constraints_and_front_of_a_study_Sparta_ran()
    {
        string url = _directory.SqliteUrl();
        IReadOnlyList<FrozenTrial> trials;
        IReadOnlyList<int> front;
        using (var storage = StorageUrl.Open(url))
        {
            var study = Study.Create("sparta-pareto", [StudyDirection.Maximize, StudyDirection.Minimize], storage, new NsgaIISampler(seed: 4, populationSize: 6));
            var binhKorn = MultiObjectiveFunction.BinhKorn();
            // The first value maximized: its negative, so the same problem.
            study.OptimizeObjectives(t => binhKorn.Objective(t) is var v ? [-v[0], v[1]] : null!, 20);
            trials = study.Trials;
            front = study.BestTrials.Select(t => t.Number).ToList();
        }
        var read = PythonOptuna.Run("""
            import warnings
            warnings.simplefilter("ignore")
            study = optuna.load_study(storage=sys.argv[1], study_name="sparta-pareto")
            dumped = json.loads(dump(study))
            feasible = [t for t in study.best_trials if all(c <= 0 for c in t.system_attrs["constraints"])]
            dumped["front"] = [t.number for t in feasible] if feasible else [t.number for t in study.best_trials]
            dumped["constraints"] = [t.system_attrs.get("constraints") for t in study.trials]
            print(json.dumps(dumped))
            """, url);
        Assert.Equal(["MAXIMIZE", "MINIMIZE"], read.GetProperty("directions").EnumerateArray().Select(d => d.GetString()));
        var optunaTrials = read.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(trials.Count, optunaTrials.Count);
        for (int i = 0; i < trials.Count; i++)
        {
            Assert.Equal(trials[i].Values!, optunaTrials[i].GetProperty("values").EnumerateArray().Select(Float));
            Assert.Equal(TrialConstraints.Of(trials[i])!, read.GetProperty("constraints")[i].EnumerateArray().Select(c => c.GetDouble()));
        }
        // Optuna 3.1's best_trials ignores constraints: its feasible members are Sparta's front (Sparta leaves infeasible ones out).
        var optunaFront = read.GetProperty("front").EnumerateArray().Select(n => n.GetInt32()).ToList();
        Assert.Equal(optunaFront, front.Where(n => TrialConstraints.Feasible(TrialConstraints.Of(trials[n])!)));
        Assert.NotEmpty(front);
    }

    [OptunaFact]
    public void Sparta_reads_and_continues_a_constrained_NSGA_II_study_Optuna_ran()
    {
        string url = _directory.SqliteUrl();
        var ran = PythonOptuna.Run("""
            import warnings
            warnings.simplefilter("ignore")
            def constraints(t):
                return t.user_attrs["c"]
            sampler = optuna.samplers.NSGAIISampler(population_size=5, seed=2, constraints_func=constraints)
            study = optuna.create_study(storage=sys.argv[1], study_name="optuna-pareto", directions=["minimize", "minimize"], sampler=sampler)
            def objective(trial):
                x = trial.suggest_float("x1", 0, 5)
                y = trial.suggest_float("x2", 0, 3)
                trial.set_user_attr("c", [(x - 5) ** 2 + y ** 2 - 25, 7.7 - (x - 8) ** 2 - (y + 3) ** 2])
                return 4 * x * x + 4 * y * y, (x - 5) ** 2 + (y - 5) ** 2
            study.optimize(objective, n_trials=16)
            dumped = json.loads(dump(study))
            dumped["best"] = [t.number for t in study.best_trials]
            print(json.dumps(dumped))
            """, url);
        using var storage = StorageUrl.Open(url);
        var study = Study.Load("optuna-pareto", storage, new NsgaIISampler(seed: 9, populationSize: 5));
        Assert.Equal(Directions, study.Directions);
        var expected = ran.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(expected.Select(t => t.GetProperty("values").EnumerateArray().Select(Float).ToArray()), study.Trials.Select(t => t.Values!.ToArray()));
        // Every trial Optuna ran is feasible or not as its constraints say, and the front is Optuna's best_trials less the infeasible.
        var optunaBest = ran.GetProperty("best").EnumerateArray().Select(n => n.GetInt32()).ToList();
        Assert.Equal(optunaBest.Where(n => TrialConstraints.Feasible(TrialConstraints.Of(study.Trials[n])!)), study.BestTrials.Select(t => t.Number));

        // Optuna completed generations 0, 1 and 2 (5 trials each) and began 3 with trial 15: Sparta's next 4 complete it.
        var sampler = (NsgaIISampler)study.Sampler;
        study.OptimizeObjectives(MultiObjectiveFunction.BinhKorn().Objective, 4);
        Assert.All(study.Trials.Skip(15), t => Assert.Equal("3", t.SystemAttrs[NsgaIISampler.GenerationKey]));
        Assert.Equal(3, sampler.ParentPopulation(study, study.Trials[^1]).Generation);
    }

    [Fact]
    public void A_study_of_several_objectives_refuses_samplers_of_one_value_and_values_of_the_wrong_count()
    {
        var e = Assert.Throws<ArgumentException>(() => Study.Create("s", Directions, sampler: new TpeSampler()));
        Assert.Contains("has 2 objectives", e.Message);
        var study = Study.Create("s", Directions);
        Assert.IsType<NsgaIISampler>(study.Sampler);
        study.OptimizeObjectives(t => [t.SuggestFloat("x", 0, 1)], 1);
        study.OptimizeObjectives(t => [t.SuggestFloat("x", 0, 1), double.NaN], 1);
        Assert.All(study.Trials, t => Assert.Equal(TrialState.Fail, t.State));
        Assert.Contains("returned 1 values for a study of 2 objectives", study.Trials[0].SystemAttrs[TrialSystemAttrs.FailReason]);
        Assert.Throws<InvalidOperationException>(() => study.BestTrial);
        Assert.Throws<ArgumentException>(() => Study.Create("s", [StudyDirection.Minimize, StudyDirection.Maximize], study.Storage, loadIfExists: true));
    }

    [Fact]
    public void The_front_leaves_out_infeasible_trials_while_a_feasible_one_exists()
    {
        var study = Study.Create(null, Directions, sampler: new RandomSampler(1));
        // Trial 0 beats everything but violates its constraint; trial 1 is feasible; trial 2 is feasible and dominated by 1.
        double[][] values = [[0, 0], [1, 1], [2, 2]];
        double[][] constraints = [[0.5], [0], [-1]];
        study.OptimizeObjectives(t =>
        {
            t.SetConstraints(constraints[t.Number]);
            return values[t.Number];
        }, 3);
        Assert.Equal([1], study.BestTrials.Select(t => t.Number));
    }
}
