using System.Globalization;
using System.Text.Json;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.TestFunctions;
using Sparta.Tuning.Tests.Storage;

namespace Sparta.Tuning.Tests.MultiObjectives;

/// <summary>
/// NSGA-II's selection against Optuna 3.1's own functions, run live on the same fixed population
/// (values on a coarse grid so fronts share values; some trials infeasible, some without constraint
/// values): the nondominated fronts in Optuna's order, the crowding distances, the survivors of
/// _select_elite_population, and the constrained domination of every pair.
/// </summary>
public class NsgaIIParityTests
{
    private const string OptunaSide = """
        import warnings
        warnings.simplefilter("ignore")
        from optuna.samplers.nsgaii._sampler import _calc_crowding_distance, _constrained_dominates
        case = json.loads(sys.argv[1])
        directions = case["directions"]
        study = optuna.create_study(directions=directions)
        for t in case["trials"]:
            attrs = {} if t["constraints"] is None else {"constraints": t["constraints"]}
            study.add_trial(optuna.trial.create_trial(values=t["values"], system_attrs=attrs))
        trials = study.trials
        constrained = case["constrained"]
        sampler = optuna.samplers.NSGAIISampler(population_size=case["size"], constraints_func=(lambda t: [0.0]) if constrained else None)
        fronts = sampler._fast_non_dominated_sort(list(trials), study.directions)
        distances = _calc_crowding_distance(list(fronts[0]))
        elite = sampler._select_elite_population(study, list(trials))
        dominates = [[_constrained_dominates(a, b, study.directions) for b in trials] for a in trials]
        print(json.dumps({"fronts": [[t.number for t in f] for f in fronts],
                          "distances": {str(k): f(v) for k, v in distances.items()},
                          "elite": [t.number for t in elite], "dominates": dominates}))
        """;

    private static List<FrozenTrial> Population(int count, int seed, bool constrained)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(n => new FrozenTrial
        {
            Number = n,
            State = TrialState.Complete,
            Values = [random.Next(12) / 2.0, random.Next(12) / 2.0, random.Next(3)],
            SystemAttrs = !constrained || n % 7 == 3 ? new Dictionary<string, string>()
                : new Dictionary<string, string> { [TrialConstraints.Key] = TrialConstraints.ToJson([random.Next(5) - 3.0, random.Next(4) - 2.5]) },
        }).ToList();
    }

    [OptunaTheory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    [InlineData(true, 3)]
    public void Fronts_crowding_and_survivors_are_Optunas(bool constrained, int seed)
    {
        var population = Population(40, seed, constrained);
        StudyDirection[] directions = [StudyDirection.Minimize, StudyDirection.Maximize, StudyDirection.Minimize];
        const int size = 15;
        var json = JsonSerializer.Serialize(new
        {
            directions = directions.Select(d => d.ToOptunaName().ToLowerInvariant()),
            constrained,
            size,
            trials = population.Select(t => new { values = t.Values, constraints = TrialConstraints.Of(t) }),
        });
        var optuna = PythonOptuna.Run(OptunaSide, json);

        Func<FrozenTrial, FrozenTrial, bool> dominates = constrained
            ? (a, b) => MultiObjective.ConstrainedDominates(a, b, directions)
            : (a, b) => MultiObjective.Dominates(a, b, directions);
        var fronts = MultiObjective.NondominatedSort(population, dominates);
        Assert.Equal(optuna.GetProperty("fronts").EnumerateArray().Select(f => f.EnumerateArray().Select(n => n.GetInt32()).ToList()),
            fronts.Select(f => f.Select(t => t.Number).ToList()));

        var distances = MultiObjective.CrowdingDistance(fronts[0].ToList());
        foreach (var p in optuna.GetProperty("distances").EnumerateObject())
            Assert.Equal(PythonFloat(p.Value.GetString()!), distances[int.Parse(p.Name, CultureInfo.InvariantCulture)], 12);

        Assert.Equal(optuna.GetProperty("elite").EnumerateArray().Select(n => n.GetInt32()),
            MultiObjective.SelectElite(population, size, dominates).Select(t => t.Number));

        var pairs = optuna.GetProperty("dominates").EnumerateArray().Select(row => row.EnumerateArray().Select(b => b.GetBoolean()).ToArray()).ToArray();
        for (int a = 0; a < population.Count; a++)
            for (int b = 0; b < population.Count; b++)
                Assert.Equal(pairs[a][b], MultiObjective.ConstrainedDominates(population[a], population[b], directions));
    }

    private static double PythonFloat(string repr) => repr switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(repr, CultureInfo.InvariantCulture),
    };

    [Fact]
    public void The_first_generation_is_random_then_children_come_from_the_elite_parents()
    {
        var study = Study.Create("zdt", [StudyDirection.Minimize, StudyDirection.Minimize], sampler: new NsgaIISampler(seed: 3, populationSize: 8));
        var zdt1 = MultiObjectiveFunction.Zdt1(3);
        study.OptimizeObjectives(zdt1.Objective, 40);
        var generations = study.Trials.Select(t => int.Parse(t.SystemAttrs[NsgaIISampler.GenerationKey], CultureInfo.InvariantCulture)).ToArray();
        // Every trial of a generation starts once the one before holds its 8 complete trials (one worker: in order).
        Assert.Equal(Enumerable.Range(0, 40).Select(n => n / 8), generations);
        var sampler = (NsgaIISampler)study.Sampler;
        var last = study.Trials[^1];
        var (generation, parents) = sampler.ParentPopulation(study, last);
        Assert.Equal(4, generation);
        // The parents are the 8 best of generation 4 and its parents, by an independent rule: their fronts come first.
        var ranks = MultiObjective.NondominatedSort(study.Trials.Where(t => generations[t.Number] <= 4).ToList(),
            (a, b) => MultiObjective.Dominates(a, b, study.Directions));
        Assert.Equal(8, parents.Count);
        Assert.Contains(parents, p => ranks[0].Any(t => t.Number == p.Number));
        // A child takes each parameter from a parent unless mutated: with 3 parameters most children share values with parents.
        var children = study.Trials.Where(t => generations[t.Number] >= 1).ToList();
        int inherited = children.Sum(c => c.InternalParams.Count(p => study.Trials.Any(o => o.Number < c.Number && o.InternalParams[p.Key] == p.Value)));
        Assert.True(inherited > children.Count, $"children inherited {inherited} values over {children.Count} children");
    }

    [Fact]
    public void The_same_seed_gives_the_same_trials()
    {
        IReadOnlyList<FrozenTrial> Run()
        {
            var study = Study.Create(null, [StudyDirection.Minimize, StudyDirection.Minimize], sampler: new NsgaIISampler(seed: 5, populationSize: 6));
            study.OptimizeObjectives(MultiObjectiveFunction.BinhKorn().Objective, 30);
            return study.Trials;
        }
        Assert.Equal(Run().Select(t => t.Values), Run().Select(t => t.Values));
    }
}
