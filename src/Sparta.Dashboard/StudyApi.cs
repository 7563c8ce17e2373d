using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sparta.Tuning;
using Sparta.Tuning.Reports;
using Sparta.Tuning.Storage;

namespace Sparta.Dashboard;

/// <summary>
/// The studies of a storage as JSON: the list with each study's trial counts and best trial, a
/// study's trials (the page polls this to show trials as they finish), and one trial in full.
/// Every request reads the storage afresh, so trials written by other processes appear at once.
/// </summary>
internal static class StudyApi
{
    public sealed record StudyRow(string Name, IReadOnlyList<string> Directions, int Trials, IReadOnlyDictionary<string, int> States, Best? Best);
    public sealed record Best(int Number, double Value);
    public sealed record StudyTrials(string Study, IReadOnlyList<string> Directions, IReadOnlyList<TrialJson.Row> Trials);

    public static void Map(IEndpointRouteBuilder app, IStudyStorage storage, RunCatalog runs)
    {
        app.MapGet("/api/studies", () => Api.Json(storage.GetAllStudies().OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => Summarize(storage, s)).ToArray()));
        app.MapGet("/api/studies/{name}/trials", (string name) => WithStudy(storage, name, study =>
            Api.Json(new StudyTrials(study.Name, Directions(study), study.Trials.Select(TrialJson.ToRow).ToArray()))));
        app.MapGet("/api/studies/{name}/trials/{number:int}", (string name, int number) => WithTrial(storage, name, number, (_, trial) =>
            Api.Json(TrialJson.ToDetail(trial, runs.RunOf(trial)))));
        app.MapGet("/api/studies/{name}/trials/{number:int}/curve.svg", (string name, int number, HttpRequest request) => WithTrial(storage, name, number, (study, trial) =>
            ChartRequest.Svg(request, () => TrialCurve.Chart(study, trial))));
        StudyChartApi.Map(app, storage);
    }

    private static StudyRow Summarize(IStudyStorage storage, StudyInfo info)
    {
        var study = Study.Load(info.Name, storage);
        var trials = study.Trials;
        var states = trials.GroupBy(t => t.State.ToOptunaName()).ToDictionary(g => g.Key, g => g.Count());
        // Several objectives have a Pareto front rather than one best trial.
        Best? best = info.Directions.Count == 1 && states.ContainsKey(TrialState.Complete.ToOptunaName())
            ? new Best(study.BestTrial.Number, study.BestValue) : null;
        return new StudyRow(info.Name, Directions(info), trials.Count, states, best);
    }

    private static IReadOnlyList<string> Directions(StudyInfo info) => info.Directions.Select(d => d.ToOptunaName()).ToArray();
    private static IReadOnlyList<string> Directions(Study study) => Directions(study.Storage.GetStudy(study.StudyId));

    public static IResult WithStudy(IStudyStorage storage, string routeName, Func<Study, IResult> respond)
    {
        // Kestrel decodes a path but keeps %2F encoded, so that a slash inside a segment does not
        // split it: a study named "a/b" arrives here as "a%2Fb".
        string name = routeName.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return storage.FindStudy(name) is null ? Api.NotFound($"no study '{name}' in the storage") : respond(Study.Load(name, storage));
    }

    private static IResult WithTrial(IStudyStorage storage, string name, int number, Func<Study, FrozenTrial, IResult> respond) =>
        WithStudy(storage, name, study => study.Trials.FirstOrDefault(t => t.Number == number) is { } trial
            ? respond(study, trial)
            : Api.NotFound($"study '{name}' has no trial {number}"));
}
