using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Sparta.Charts;

namespace Sparta.Dashboard;

/// <summary>How every endpoint answers: snake_case JSON (Optuna's spelling), SVG, or a one-line error.</summary>
internal static class Api
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Intermediate values may be NaN or infinite (a diverged epoch); they travel as "NaN", "Infinity".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IResult Json(object value) => Results.Json(value, JsonOptions);

    /// <summary>
    /// A chart as the page shows it: without a &lt;title&gt; per mark, since the page's script shows a
    /// hovered mark's values from its data-* attributes (charts.js), and a large study's charts then
    /// hold half the elements for the browser to parse and lay out.
    /// </summary>
    public static string Markup(Chart chart) => chart.ToSvg(tooltips: false);

    public static IResult Svg(string svg) => Results.Text(svg, "image/svg+xml; charset=utf-8");

    public static IResult BadRequest(string message) => Results.Json(new { error = message }, JsonOptions, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string message) => Results.Json(new { error = message }, JsonOptions, statusCode: StatusCodes.Status404NotFound);
}
