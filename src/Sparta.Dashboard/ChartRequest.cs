using System.Globalization;
using Microsoft.AspNetCore.Http;
using Sparta.Charts;

namespace Sparta.Dashboard;

/// <summary>
/// What a chart request may add to the chart it names: <c>x_min</c> and <c>x_max</c>, <c>y_min</c> and
/// <c>y_max</c>, the ranges the page zoomed to (the chart is drawn again on them, so the marks stay
/// the data they carry; an axis not named keeps fitting the data). A value that is not a finite
/// number, or a range that is empty, is answered with 400 naming it.
/// </summary>
/// <remarks>
/// A chart not zoomed may come from a cache: <c>unzoomed</c>, when given, gives its SVG.
/// </remarks>
internal static class ChartRequest
{
    public static IResult Svg(HttpRequest request, Func<Chart> draw, Func<string>? unzoomed = null)
    {
        (double Min, double Max)? x, y;
        try { (x, y) = (Range(request.Query, "x"), Range(request.Query, "y")); }
        catch (FormatException e) { return Api.BadRequest(e.Message); }
        if (x is null && y is null && unzoomed is not null) return Api.Svg(unzoomed());
        var chart = draw();
        if (chart is XYChart xy)
        {
            if (x is { } zoomX && xy.XCategories is null) xy.XRange = zoomX;
            if (y is { } zoomY) xy.YRange = zoomY;
        }
        return Api.Svg(Api.Markup(chart));
    }

    private static (double, double)? Range(IQueryCollection query, string axis)
    {
        double? min = Number(query, $"{axis}_min"), max = Number(query, $"{axis}_max");
        if (min is null && max is null) return null;
        if (min is null || max is null) throw new FormatException($"query: {axis}_min and {axis}_max go together");
        if (!(min < max)) throw new FormatException($"query: {axis}_min ({min}) must be below {axis}_max ({max})");
        return (min.Value, max.Value);
    }

    public static double? Number(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var text)) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value : throw new FormatException($"query: {key}: expected a finite number, got '{text}'");
    }
}
