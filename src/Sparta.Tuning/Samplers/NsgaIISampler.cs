using System.Globalization;
using Sparta.Configuration;
using Sparta.Tensors;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// NSGA-II (Deb et al. 2002) as Optuna 3.1's NSGAIISampler with its defaults: the first generation
/// of <see cref="PopulationSize"/> trials is random; each later trial is a child of the parent
/// population, the elite of the last complete generation with its own parents (whole nondominated
/// fronts, the last one cut by crowding distance). A child takes two parents, each the better of two
/// drawn at random (binary tournament), mixes them by uniform crossover (each parameter from either
/// parent with equal odds) with probability <see cref="CrossoverProbability"/>, else copies one
/// parent; then each parameter is drawn again at random with probability <see cref="MutationProbability"/>
/// (default 1 / the number of parameters). Trials compare by constrained domination
/// (<see cref="MultiObjective.ConstrainedDominates"/>), which is plain domination while no trial
/// records constraints, and Optuna's constraints_func otherwise. A trial's generation
/// is stored under Optuna's key, so either tool can go on with the other's study.
/// </summary>
public sealed class NsgaIISampler : ISampler
{
    /// <summary>Optuna's system attribute holding a trial's generation.</summary>
    public const string GenerationKey = "nsga2:generation";
    public const string RegisteredName = "nsga2";

    private readonly RandomSampler _random;

    public NsgaIISampler(ulong seed = 0, int populationSize = 50, double? mutationProbability = null, double crossoverProbability = 0.9,
        double swappingProbability = 0.5)
    {
        if (populationSize < 2) throw new ArgumentOutOfRangeException(nameof(populationSize), $"population size must be at least 2, got {populationSize}");
        if (mutationProbability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(mutationProbability), $"mutation probability must be in [0, 1], got {mutationProbability}");
        if (crossoverProbability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(crossoverProbability), $"crossover probability must be in [0, 1], got {crossoverProbability}");
        if (swappingProbability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(swappingProbability), $"swapping probability must be in [0, 1], got {swappingProbability}");
        Seed = seed;
        PopulationSize = populationSize;
        MutationProbability = mutationProbability;
        CrossoverProbability = crossoverProbability;
        SwappingProbability = swappingProbability;
        _random = new RandomSampler(seed);
    }

    /// <summary>
    /// <c>{name: nsga2, population_size: 50, mutation_prob: 1/params, crossover_prob: 0.9, swapping_prob: 0.5}</c>,
    /// Optuna's names and defaults.
    /// </summary>
    internal static SamplerFactory FromConfig(ConfigReader r)
    {
        int population = Check.AtLeast(r.Int("population_size", 50), 2, "population_size", r.Owner);
        double? mutation = r.OptionalDouble("mutation_prob") is double m ? Check.InRange(m, 0, 1, "mutation_prob", r.Owner) : null;
        double crossover = Check.InRange(r.Double("crossover_prob", 0.9), 0, 1, "crossover_prob", r.Owner);
        double swapping = Check.InRange(r.Double("swapping_prob", 0.5), 0, 1, "swapping_prob", r.Owner);
        return (seed, _, _) => new NsgaIISampler(seed, population, mutation, crossover, swapping);
    }

    public ulong Seed { get; }
    public int PopulationSize { get; }
    public double? MutationProbability { get; }
    public double CrossoverProbability { get; }
    public double SwappingProbability { get; }

    // The parents of the trial being sampled, found when its search space is inferred (every trial's
    // first draw, so every trial gets its generation even when nothing is drawn jointly).
    private (int TrialId, int Generation, IReadOnlyList<FrozenTrial> Parents)? _current;

    /// <summary>Also records the trial's generation: one more than its parents'.</summary>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        var (generation, parents) = ParentPopulation(study, trial);
        study.Storage.SetTrialSystemAttr(trial.TrialId, GenerationKey, (generation + 1).ToString(CultureInfo.InvariantCulture));
        _current = (trial.TrialId, generation, parents);
        return SearchSpace.Intersection(study.History(trial, TrialState.Complete));
    }

    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        var (parentGeneration, parents) = _current is { } c && c.TrialId == trial.TrialId ? (c.Generation, c.Parents) : ParentPopulation(study, trial);
        if (parentGeneration < 0 || searchSpace.Count == 0) return SearchSpace.NoValues;
        var random = RandomSampler.StreamFor(Seed, trial, "nsga2");
        var child = random.NextDouble() < CrossoverProbability
            ? Crossover(parents, searchSpace, random, Dominates(study))
            : searchSpace.Keys.ToDictionary(name => name, name => parents[random.NextInt(parents.Count)].InternalParams[name]);
        double mutation = MutationProbability ?? 1.0 / Math.Max(1, child.Count);
        // The parameters not kept are mutated: SampleIndependent draws them at random.
        return child.Where(_ => random.NextDouble() >= mutation).ToDictionary(p => p.Key, p => p.Value);
    }

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        _random.SampleIndependent(study, trial, name, distribution);

    /// <summary>Uniform crossover of two parents, each chosen by tournament: each parameter from one parent or the other.</summary>
    private Dictionary<string, double> Crossover(IReadOnlyList<FrozenTrial> population, IReadOnlyDictionary<string, Distribution> space,
        RandomGenerator random, Func<FrozenTrial, FrozenTrial, bool> dominates)
    {
        var first = Tournament(population, random, dominates);
        var second = Tournament(population.Where(t => t.Number != first.Number).ToList(), random, dominates);
        // Optuna's mask: rand >= swapping_prob takes the second parent's value.
        return space.Keys.ToDictionary(name => name, name => (random.NextDouble() >= SwappingProbability ? second : first).InternalParams[name]);
    }

    /// <summary>The better of two trials drawn at random (the second when neither dominates), as Optuna's _select_parent.</summary>
    private static FrozenTrial Tournament(IReadOnlyList<FrozenTrial> population, RandomGenerator random, Func<FrozenTrial, FrozenTrial, bool> dominates)
    {
        var a = population[random.NextInt(population.Count)];
        var b = population[random.NextInt(population.Count)];
        return dominates(a, b) ? a : b;
    }

    private static Func<FrozenTrial, FrozenTrial, bool> Dominates(Study study) =>
        (a, b) => MultiObjective.ConstrainedDominates(a, b, study.Directions);

    /// <summary>
    /// Optuna's _collect_parent_population: generation g is complete once it holds
    /// <see cref="PopulationSize"/> complete trials; the parents of the next one are the elite of
    /// generation g's trials and generation g - 1's parents. Returns the last complete generation
    /// (-1 while the first is not) and its parents.
    /// </summary>
    public (int Generation, IReadOnlyList<FrozenTrial> Parents) ParentPopulation(Study study, FrozenTrial trial)
    {
        var byGeneration = new Dictionary<int, List<FrozenTrial>>();
        foreach (var t in study.History(trial, TrialState.Complete))
        {
            if (!t.SystemAttrs.TryGetValue(GenerationKey, out var g)) continue;
            int generation = int.Parse(g, CultureInfo.InvariantCulture);
            if (!byGeneration.TryGetValue(generation, out var members)) byGeneration[generation] = members = [];
            members.Add(t);
        }
        var dominates = Dominates(study);
        IReadOnlyList<FrozenTrial> parents = [];
        int parentGeneration = -1;
        while (byGeneration.TryGetValue(parentGeneration + 1, out var population) && population.Count >= PopulationSize)
        {
            parents = MultiObjective.SelectElite([.. population, .. parents], PopulationSize, dominates);
            parentGeneration++;
        }
        return (parentGeneration, parents);
    }
}
