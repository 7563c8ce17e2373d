using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Sparta.Reports;

namespace Sparta.Dashboard;

/// <summary>The runs of the runs directory as JSON: the list with each run's final scores, one run in full, its learning curves.</summary>
internal static class RunApi
{
    public sealed record RunRow(string Name, int Epochs, IReadOnlyDictionary<string, double> Result);

    /// <summary>The history as history.json holds it: <c>epochs</c>, then one list per logged key.</summary>
    public sealed record RunDetail(string Name, IReadOnlyDictionary<string, IReadOnlyList<double>> History, IReadOnlyDictionary<string, double> Result, string? Experiment);

    public static void Map(IEndpointRouteBuilder app, RunCatalog runs)
    {
        app.MapGet("/api/runs", () => Api.Json(runs.Names.Select(runs.Find).OfType<RunFiles>()
            .Select(r => new RunRow(r.Name, r.History.Epochs.Count, Result(r))).ToArray()));
        app.MapGet("/api/runs/{name}", (string name) =>
            runs.Find(name) is { } run ? Api.Json(Detail(run)) : Api.NotFound($"no run '{name}' in the runs directory"));
        app.MapGet("/api/runs/{name}/history.svg", (string name) =>
            runs.Find(name) is { } run ? Api.Svg(LearningCurves.Figure(run.History, run.BatchLosses).ToSvg()) : Api.NotFound($"no run '{name}' in the runs directory"));
    }

    private static Dictionary<string, double> Result(RunFiles run) => run.Result.ToDictionary(r => r.Key, r => r.Value);

    private static RunDetail Detail(RunFiles run)
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["epochs"] = run.History.Epochs.Select(e => (double)e).ToArray() };
        foreach (string key in run.History.Keys) history[key] = run.History[key];
        return new RunDetail(run.Name, history, Result(run), run.ExperimentYaml);
    }
}
