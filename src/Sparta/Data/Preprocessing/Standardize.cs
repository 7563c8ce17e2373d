using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// (x - mean) / std per feature, channel or over all values (<c>standardize</c>), or only
/// x - mean (<c>center</c>). Statistics come from the training data; a constant group (std 0)
/// is only centered, as scikit-learn's StandardScaler does.
/// </summary>
public sealed class Standardize : GroupAffine
{
    public Standardize(StatisticsScope scope = StatisticsScope.Feature, bool unitVariance = true) : base(scope) => UnitVariance = unitVariance;

    public bool UnitVariance { get; }

    public override string Name => UnitVariance ? "standardize" : "center";

    protected override void FitCore(Tensor train)
    {
        var stats = Statistics(train, withStd: UnitVariance, withRange: false);
        var scale = stats.Std.Select(s => UnitVariance && s > 0 ? 1 / s : 1).ToArray();
        SetAffine(scale, stats.Mean.Select((m, g) => -m * scale[g]).ToArray());
    }

    protected override IReadOnlyDictionary<string, string> Parameters() => new Dictionary<string, string> { ["scope"] = StatisticsScopeNames.Name(Scope) };
}
