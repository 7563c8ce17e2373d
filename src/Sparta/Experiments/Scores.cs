using System.Globalization;

namespace Sparta.Experiments;

/// <summary>How scores are printed: <c>key=value</c> pairs, the metrics first and the losses last, as Keras' evaluate prints them.</summary>
public static class Scores
{
    public static IEnumerable<(string Key, double Value)> Ordered(IEnumerable<(string Key, double Value)> scores) =>
        scores.OrderBy(s => s.Key == "loss" || s.Key.EndsWith("_loss", StringComparison.Ordinal));

    /// <summary><c>accuracy=0.912 loss=0.2871</c>: ordered, six significant digits.</summary>
    public static string Line(IEnumerable<(string Key, double Value)> scores) =>
        string.Join(" ", Ordered(scores).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}={s.Value:G6}")));
}
