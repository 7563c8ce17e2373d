using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Sparta.Dashboard;

/// <summary>The runs of the runs directory as JSON: the list with each run's final scores, one run in full, its learning curves.</summary>
internal static class RunApi
{
    public sealed record RunRow(string Name, int Epochs, IReadOnlyDictionary<string, System.Text.Json.JsonElement> Result);

    public static void Map(IEndpointRouteBuilder app, RunCatalog runs)
    {
        app.MapGet("/api/runs", () => Api.Json(runs.Names.Select(runs.Find).OfType<RunCatalog.Run>()
            .Select(r => new RunRow(r.Name, r.History.TryGetValue("epochs", out var e) ? e.Length : 0, r.Result)).ToArray()));
        app.MapGet("/api/runs/{name}", (string name) =>
            runs.Find(name) is { } run ? Api.Json(run) : Api.NotFound($"no run '{name}' in the runs directory"));
        app.MapGet("/api/runs/{name}/history.svg", (string name) =>
            runs.Find(name) is { } run ? Api.Svg(RunCharts.LearningCurves(run.Name, run.History)) : Api.NotFound($"no run '{name}' in the runs directory"));
    }
}
