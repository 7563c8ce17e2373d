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
/// Every request reads the storage afresh, so trials written by other processes appear at once; what
/// it computes from unchanged trials is shared (<see cref="StudySnapshots"/>).
/// </summary>
internal static class StudyApi
{
    public sealed record StudyRow(string Name, IReadOnlyList<string> Directions, int Trials, IReadOnlyDictionary<string, int> States, Best? Best);
    public sealed record Best(int Number, double Value);
    /// <summary>
    /// A page of a study's trials as the table asked for it (<see cref="TrialQuery"/>): <c>Total</c>
    /// trials in the study, <c>Matched</c> by the filters, the rows from <c>Offset</c>; the states and
    /// parameters the study has (the table's filters offer them) and the fingerprints of its trials,
    /// and of what each chart draws (the page asks for a chart again when its fingerprint changes).
    /// </summary>
    public sealed record StudyTrials(
        string Study, IReadOnlyList<string> Directions, IReadOnlyList<string> ObjectiveNames,
        int Total, int Matched, int Offset, IReadOnlyList<TrialJson.Row> Trials,
        IReadOnlyList<string> States, IReadOnlyList<string> Params, TrialsVersion Version, IReadOnlyDictionary<string, string> ChartVersions);

    public static void Map(IEndpointRouteBuilder app, IStudyStorage storage, RunCatalog runs, StudySnapshots snapshots, ImportanceCache importance)
    {
        app.MapGet("/api/studies", () => Api.Json(storage.GetAllStudies().OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => Summarize(storage, s)).ToArray()));
        app.MapGet("/api/studies/{name}/trials", (string name, HttpContext context) => WithStudy(storage, name, study => Trials(snapshots.Of(study), context)));
        app.MapGet("/api/studies/{name}/trials/{number:int}", (string name, int number) => WithTrial(storage, name, number, (_, trial) =>
            Api.Json(TrialJson.ToDetail(trial, runs.RunOf(trial)))));
        app.MapGet("/api/studies/{name}/trials/{number:int}/curve.svg", (string name, int number, HttpRequest request) => WithTrial(storage, name, number, (study, trial) =>
            ChartRequest.Svg(request, () => TrialCurve.Chart(study, trial))));
        StudyChartApi.Map(app, storage, snapshots, importance);
    }

    /// <summary>
    /// The page of trials the query asks for (every matching trial without <c>limit</c>), or 304 when the
    /// request's If-None-Match names the answer it would get: trials and query unchanged.
    /// </summary>
    private static IResult Trials(StudySnapshots.Snapshot snapshot, HttpContext context)
    {
        TrialQuery query;
        try { query = TrialQuery.Parse(context.Request.Query); }
        catch (FormatException e) { return Api.BadRequest(e.Message); }
        var (study, version) = (snapshot.Study, snapshot.Version);
        string etag = $"\"{version.All}-{TrialsVersion.OfText(context.Request.QueryString.Value ?? "")}\"";
        context.Response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Contains(etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        var matched = snapshot.Matching(query);
        var page = matched.Skip(query.Offset).Take(query.Limit ?? int.MaxValue).ToArray();
        var directions = Directions(study);
        return Api.Json(new StudyTrials(study.Name, directions, StudySystemAttrs.ObjectiveNames(study),
            snapshot.Rows.Count, matched.Count, query.Offset, page, snapshot.States, snapshot.Params,
            version, StudyChartApi.Names.ToDictionary(c => c, version.Of)));
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
