using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sparta.Charts;
using Sparta.Tuning;
using Sparta.Tuning.Reports;
using Sparta.Tuning.Storage;

namespace Sparta.Dashboard;

/// <summary>
/// Every chart of the study report, drawn afresh from the storage at each request, by the code that
/// draws the report (<see cref="StudyCharts"/>): <c>/api/studies/NAME/CHART.svg</c> for the
/// optimization history, the intermediate values, parallel coordinates, slices and parameter
/// importance. Each computes only what its chart shows; importance (a forest fitted to the
/// trials) is kept until the complete trials change.
/// </summary>
internal static class StudyChartApi
{
    private delegate Chart Draw(Study study, IReadOnlyList<FrozenTrial> trials, string valueName);

    /// <summary>The charts a study page shows, in the report's order.</summary>
    public static readonly IReadOnlyList<string> Names = ["history", "intermediate", "parallel", "slices", "importance"];

    public static void Map(IEndpointRouteBuilder app, IStudyStorage storage)
    {
        var importance = new ImportanceCache();
        var charts = new Dictionary<string, Draw>
        {
            ["history"] = (study, trials, value) => StudyCharts.History(OptimizationHistory.Of(trials, study.Direction), value),
            ["intermediate"] = (_, trials, value) => StudyCharts.IntermediateValues(IntermediateSeries.Of(trials), value),
            ["parallel"] = (_, trials, value) => StudyCharts.ParallelCoordinates(ParallelCoordinatesData.Of(trials), value),
            ["slices"] = (_, trials, value) => StudyCharts.Slices(SliceSeries.Of(trials), value),
            ["importance"] = (study, trials, value) => StudyCharts.Importance(importance.Of(study, trials), value),
        };
        app.MapGet("/api/studies/{name}/{chart}.svg", (string name, string chart, HttpRequest request) =>
            !charts.TryGetValue(chart, out var draw) ? Api.NotFound($"no chart '{chart}'; the charts are {string.Join(", ", Names)}")
            : StudyApi.WithStudy(storage, name, study =>
            {
                var trials = study.Trials;
                return ChartRequest.Svg(request, () => draw(study, trials, StudySystemAttrs.MetricName(study)));
            }));
    }
}
