using Sparta.Configuration;
using Sparta.Tensors;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

public enum SobolScrambling
{
    None,
    /// <summary>Nested uniform (Owen) scrambling: the best uniformity; the default.</summary>
    Owen,
    /// <summary>Random digit scrambling (XOR with one random word per dimension).</summary>
    DigitalShift,
}

/// <summary>
/// Quasi-random search: trial k takes point k of a scrambled Sobol sequence, mapped into the
/// search space (log ranges in log space). Spreads points more evenly than random search.
/// Each parameter name gets a dimension in order of first appearance in the study, so a
/// sequential study is reproducible and conditional parameters keep their dimension.
/// </summary>
public sealed class SobolSampler : ISampler
{
    private readonly List<string> _dimensions = new();
    private readonly object _lock = new();

    public SobolSampler(ulong seed = 0, SobolScrambling scrambling = SobolScrambling.Owen)
    {
        Seed = seed;
        Scrambling = scrambling;
    }

    public const string RegisteredName = "sobol";

    /// <summary><c>{name: sobol, scrambling: owen}</c>; scrambling is owen, digital_shift or none.</summary>
    internal static SamplerFactory FromConfig(ConfigReader r)
    {
        var scrambling = r.Choice("scrambling", "owen", "owen", "digital_shift", "none") switch
        {
            "none" => SobolScrambling.None,
            "digital_shift" => SobolScrambling.DigitalShift,
            _ => SobolScrambling.Owen,
        };
        return (seed, _, _) => new SobolSampler(seed, scrambling);
    }

    public ulong Seed { get; }
    public SobolScrambling Scrambling { get; }

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        UnitSpace.FromUnit(distribution, Unit(trial.Number, DimensionOf(study, trial, name)));

    /// <summary>Coordinate <paramref name="dimension"/> of point <paramref name="index"/>, scrambled with this sampler's seed.</summary>
    public double Unit(long index, int dimension)
    {
        uint x = SobolSequence.Point(index, dimension);
        uint word = (uint)new RandomGenerator(Seed).Fork("sobol").Fork((ulong)dimension).NextUInt64();
        x = Scrambling switch
        {
            SobolScrambling.Owen => SobolSequence.OwenScramble(x, word),
            SobolScrambling.DigitalShift => SobolSequence.DigitalShift(x, word),
            _ => x,
        };
        return SobolSequence.ToUnit(x);
    }

    private int DimensionOf(Study study, FrozenTrial trial, string name)
    {
        lock (_lock)
        {
            int index = _dimensions.IndexOf(name);
            if (index >= 0) return index;
            // Learn names other processes or earlier runs introduced, in trial order, before adding a new one.
            foreach (var t in study.Trials.Append(trial))
                foreach (var known in t.Distributions.Keys)
                    if (!_dimensions.Contains(known)) _dimensions.Add(known);
            if (!_dimensions.Contains(name)) _dimensions.Add(name);
            index = _dimensions.IndexOf(name);
            if (index >= SobolSequence.MaxDimension)
                throw new ArgumentException($"sobol points (sampler sobol, or startup: sobol of tpe and gp): parameter '{name}' would be dimension {index + 1}; at most {SobolSequence.MaxDimension} are supported");
            return index;
        }
    }
}
