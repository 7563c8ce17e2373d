using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sparta.Diagnostics;
using Sparta.Reports;

namespace Sparta.Dashboard;

/// <summary>
/// The runs of the runs directory as JSON: the list with each run's final scores, one run in full,
/// its learning curves. A run still training is listed with <c>live: true</c> and its history so far.
/// </summary>
internal static class RunApi
{
    public sealed record RunRow(string Name, int Epochs, bool Live, IReadOnlyDictionary<string, double> Result);

    /// <summary>The history as history.json holds it: <c>epochs</c>, then one list per logged key.</summary>
    /// <param name="Findings">The doctor's findings on the run so far (<see cref="Doctor.Diagnose"/>), as its report lists them.</param>
    public sealed record RunDetail(string Name, bool Live, IReadOnlyDictionary<string, IReadOnlyList<double>> History, IReadOnlyDictionary<string, double> Result,
        string? Experiment, IReadOnlyList<string> Findings);

    public static void Map(IEndpointRouteBuilder app, RunCatalog runs)
    {
        app.MapGet("/api/runs", () => Api.Json(runs.Entries.Select(e => (Entry: e, Run: runs.Load(e, batches: false))).Where(r => r.Run is not null)
            .Select(r => new RunRow(r.Entry.Name, r.Run!.History.Epochs.Count, r.Entry.Live, Result(r.Run))).ToArray()));
        app.MapGet("/api/runs/{name}", (string name) => WithRun(runs, name, (entry, run) => Api.Json(Detail(entry, run))));
        app.MapGet("/api/runs/{name}/history.svg", (string name) => WithRun(runs, name, (_, run) =>
            Api.Svg(Api.Markup(LearningCurves.Figure(run.History, run.BatchLosses)))));
        RunComparisonApi.Map(app, runs);
    }

    private static IResult WithRun(RunCatalog runs, string name, Func<RunCatalog.Entry, RunFiles, IResult> respond)
    {
        var entry = runs.Entries.FirstOrDefault(e => e.Name == name);
        return runs.Load(entry) is { } run ? respond(entry!, run) : Api.NotFound($"no run '{name}' in the runs directory");
    }

    private static Dictionary<string, double> Result(RunFiles run) => run.Result.ToDictionary(r => r.Key, r => r.Value);

    private static RunDetail Detail(RunCatalog.Entry entry, RunFiles run)
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["epochs"] = run.History.Epochs.Select(e => (double)e).ToArray() };
        foreach (string key in run.History.Keys) history[key] = run.History[key];
        var findings = Doctor.Diagnose(run.History, run.Diagnostics, run.FirstBatchLoss).Select(f => f.ToString()).ToArray();
        return new RunDetail(run.Name, entry.Live, history, Result(run), run.ExperimentYaml, findings);
    }
}
