using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Which values share a statistic: each feature (every position of a sample) on its own, each
/// channel (axis 1 of NCHW images, over the batch and the pixels), or all values together.
/// </summary>
public enum StatisticsScope { Feature, Channel, All }

/// <summary>The names scopes go by in experiment files and on the command line: feature, channel, all.</summary>
public static class StatisticsScopeNames
{
    public static StatisticsScope Parse(string text) => text switch
    {
        "feature" => StatisticsScope.Feature,
        "channel" => StatisticsScope.Channel,
        "all" => StatisticsScope.All,
        _ => throw new ArgumentException($"scope must be 'feature', 'channel' or 'all', got '{text}'"),
    };

    public static string Name(StatisticsScope scope) => scope.ToString().ToLowerInvariant();
}

/// <summary>How a sample's values fall into groups: <c>Groups</c> runs of <c>RunLength</c> consecutive values, or one group per value.</summary>
internal readonly record struct GroupLayout(StatisticsScope Scope, int SampleSize, int Groups, int RunLength)
{
    public static GroupLayout Of(Shape shape, StatisticsScope scope)
    {
        int sample = shape.SizeFrom(1);
        return scope switch
        {
            StatisticsScope.Feature => new(scope, sample, sample, 1),
            StatisticsScope.Channel when shape.Rank >= 2 => new(scope, sample, shape[1], shape.SizeFrom(2)),
            StatisticsScope.Channel => throw new ArgumentException($"per-channel statistics need a channel axis (N, C, ...), got shape {shape}"),
            _ => new(scope, sample, 1, sample),
        };
    }
}
