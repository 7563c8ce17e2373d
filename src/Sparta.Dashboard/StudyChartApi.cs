using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sparta.Charts;
using Sparta.Tuning;
using Sparta.Tuning.Reports;
using Sparta.Tuning.Storage;

namespace Sparta.Dashboard;

/// <summary>
/// Every chart of the study report, drawn from the study's current trials by the code that draws the report (<see cref="StudyCharts"/>): <c>/api/studies/NAME/CHART.svg</c> for the
/// optimization history, the intermediate values, parallel coordinates, slices, parameter
/// importance and, for a study of several objectives, the Pareto front. Each computes only what its chart shows,
/// once per version of the trials (<see cref="StudySnapshots"/>) unless zoomed; importance (a forest fitted to the
/// trials) is fitted in the background and kept until the complete trials change.
/// </summary>
internal static class StudyChartApi
{
    private delegate Chart Draw(Study study, IReadOnlyList<FrozenTrial> trials, string valueName);

    /// <summary>The charts a study page shows, in the report's order.</summary>
    public static readonly IReadOnlyList<string> Names = ["history", "intermediate", "parallel", "slices", "importance", "pareto"];

    private static IReadOnlyList<StudyDirection> Directions(Study study) => study.Storage.GetStudy(study.StudyId).Directions;

    private static Chart Pareto(Study study, IReadOnlyList<FrozenTrial> trials)
    {
        var directions = Directions(study);
        return StudyCharts.Pareto(ParetoFront.Of(trials, directions), StudySystemAttrs.ObjectiveNames(study));
    }

    /// <summary>The title says when the bars are not the current trials' importance yet: the page then asks again.</summary>
    private static Chart Importance(ImportanceCache.Rating rating, string valueName) =>
        StudyCharts.Importance(rating.Importance ?? [], valueName, rating.Current ? "Parameter importance"
            : $"Parameter importance ({Computing} over {rating.CompleteTrials} complete trials{(rating.Importance is null ? "" : "; the bars are the last fit's")})");

    /// <summary>The response header naming the fingerprint of the trials a chart drew (<see cref="TrialsVersion.Of(string)"/>).</summary>
    public const string DataVersionHeader = "X-Data-Version";

    /// <summary>What the title of an importance chart still being fitted says.</summary>
    public const string Computing = "being fitted";

    /// <summary>The charts drawn from the trials alone, kept with the snapshot they were drawn from.</summary>
    private static readonly Dictionary<string, Draw> Kept = new()
    {
        ["history"] = (study, trials, value) => StudyCharts.History(OptimizationHistory.Of(trials, study.Direction), value),
        ["intermediate"] = (study, trials, value) => StudyCharts.IntermediateValues(IntermediateSeries.Of(trials), value, study.Direction),
        ["parallel"] = (study, trials, value) => StudyCharts.ParallelCoordinates(ParallelCoordinatesData.Of(trials), value, study.Direction),
        ["slices"] = (_, trials, value) => StudyCharts.Slices(SliceSeries.Of(trials), value),
        ["pareto"] = (study, trials, _) => Pareto(study, trials),
    };

    private static string Svg(StudySnapshots.Snapshot snapshot, string chart) =>
        snapshot.Chart(chart, () => Api.Markup(Kept[chart](snapshot.Study, snapshot.Trials, snapshot.MetricName)));

    /// <summary>
    /// Starts drawing, in the background, the charts of a new snapshot that its page shows (the Pareto
    /// front for several objectives, the others for one): a page opening, or one polling a live
    /// study, then finds them drawn or being drawn. A chart that fails to draw fails its request.
    /// </summary>
    public static void DrawAhead(StudySnapshots.Snapshot snapshot)
    {
        bool several = snapshot.Study.Directions.Count > 1;
        foreach (string chart in Kept.Keys.Where(c => (c == "pareto") == several))
            Task.Run(() =>
            {
                try { Svg(snapshot, chart); }
                catch (Exception) { /* kept by the snapshot: the request for this chart answers with it */ }
            });
    }

    public static void Map(IEndpointRouteBuilder app, IStudyStorage storage, StudySnapshots snapshots, ImportanceCache importance)
    {
        var charts = new Dictionary<string, Draw>(Kept)
        {
            ["importance"] = (study, trials, value) => Importance(importance.Of(study, trials), value),
        };
        app.MapGet("/api/studies/{name}/{chart}.svg", (string name, string chart, HttpRequest request) =>
            !charts.TryGetValue(chart, out var draw) ? Api.NotFound($"no chart '{chart}'; the charts are {string.Join(", ", Names)}")
            : StudyApi.WithStudy(storage, name, study =>
            {
                if (chart == "pareto" && Directions(study).Count < 2) return Api.NotFound($"study '{study.Name}' has one objective: no Pareto front");
                var snapshot = snapshots.Of(study);
                // What the chart was drawn from, for the page to know when to ask for it again (the trials endpoint names the same).
                request.HttpContext.Response.Headers[DataVersionHeader] = snapshot.Version.Of(chart);
                // Importance changes as its fit finishes, not with the trials: it is never kept.
                return ChartRequest.Svg(request, () => draw(snapshot.Study, snapshot.Trials, snapshot.MetricName),
                    Kept.ContainsKey(chart) ? () => Svg(snapshot, chart) : null);
            }));
    }
}
