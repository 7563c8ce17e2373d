using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sparta.Experiments;
using Sparta.Reports;

namespace Sparta.Dashboard;

/// <summary>
/// Runs compared, as TensorBoard overlays them: <c>/api/compare?runs=A,B</c> names the quantities
/// they logged and sets their experiment files side by side (each key with a flag when the files
/// differ on it); <c>/api/compare/KEY.svg?runs=A,B&amp;smoothing=0.6&amp;x=time</c> draws one
/// quantity of every run on one chart.
/// </summary>
internal static class RunComparisonApi
{
    public sealed record Comparison(IReadOnlyList<string> Runs, IReadOnlyList<string> Keys, IReadOnlyList<ComparedKey> Experiment);

    public static void Map(IEndpointRouteBuilder app, RunCatalog runs)
    {
        app.MapGet("/api/compare", (HttpRequest request) => WithRuns(runs, request, chosen =>
            Api.Json(new Comparison(chosen.Select(r => r.Name).ToArray(), RunOverlay.Keys(chosen.Select(r => r.History)),
                ExperimentComparison.Compare(chosen.Select(r => (r.Name + "/" + RunFiles.ExperimentFile, r.ExperimentYaml)).ToArray())))));
        app.MapGet("/api/compare/{key}.svg", (string key, HttpRequest request) => WithRuns(runs, request, chosen =>
        {
            double smoothing;
            OverlayAxis x;
            try
            {
                smoothing = ChartRequest.Number(request.Query, "smoothing") ?? 0;
                if (!(smoothing >= 0 && smoothing < 1)) throw new FormatException($"query: smoothing: expected a weight in [0, 1), got {smoothing}");
                x = request.Query["x"].ToString() switch
                {
                    "" or "epoch" => OverlayAxis.Epoch,
                    "time" => OverlayAxis.Time,
                    var other => throw new FormatException($"query: x: expected epoch or time, got '{other}'"),
                };
            }
            catch (FormatException e) { return Api.BadRequest(e.Message); }
            return ChartRequest.Svg(request, () => RunOverlay.Chart(chosen.Select(r => (r.Name, r.History)).ToArray(), key, smoothing, x));
        }));
    }

    /// <summary>The runs named by <c>runs=A,B</c>, in that order; a name that is not a listed run is answered with 404 naming it.</summary>
    private static IResult WithRuns(RunCatalog runs, HttpRequest request, Func<IReadOnlyList<RunFiles>, IResult> respond)
    {
        var names = request.Query["runs"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) return Api.BadRequest("query: runs: name the runs to compare, separated by commas (runs=A,B)");
        var entries = runs.Entries;
        var chosen = new List<RunFiles>();
        foreach (string name in names.Distinct())
        {
            if (runs.Load(entries.FirstOrDefault(e => e.Name == name), batches: false) is not { } run) return Api.NotFound($"no run '{name}' in the runs directory");
            chosen.Add(run);
        }
        return respond(chosen);
    }
}
