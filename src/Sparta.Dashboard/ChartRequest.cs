using System.Globalization;
using Microsoft.AspNetCore.Http;
using Sparta.Charts;

namespace Sparta.Dashboard;

/// <summary>
/// What a chart request may add to the chart it names: <c>x_min</c> and <c>x_max</c>, the range the
/// page zoomed to (the chart is drawn again on it, so the marks stay the data they carry). A
/// value that is not a finite number, or a range that is empty, is answered with 400 naming it.
/// </summary>
internal static class ChartRequest
{
    public static IResult Svg(HttpRequest request, Func<Chart> draw)
    {
        (double Min, double Max)? range;
        try { range = XRange(request.Query); }
        catch (FormatException e) { return Api.BadRequest(e.Message); }
        var chart = draw();
        if (range is { } zoom && chart is XYChart xy && xy.XCategories is null) xy.XRange = zoom;
        return Api.Svg(chart.ToSvg());
    }

    private static (double, double)? XRange(IQueryCollection query)
    {
        double? min = Number(query, "x_min"), max = Number(query, "x_max");
        if (min is null && max is null) return null;
        if (min is null || max is null) throw new FormatException("query: x_min and x_max go together");
        if (!(min < max)) throw new FormatException($"query: x_min ({min}) must be below x_max ({max})");
        return (min.Value, max.Value);
    }

    public static double? Number(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var text)) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value : throw new FormatException($"query: {key}: expected a finite number, got '{text}'");
    }
}
