using System.Text.Json;
using Sparta.Tuning;

namespace Sparta.Dashboard;

/// <summary>
/// The JSON shapes the page reads: a trial's row in the trials table, and the same trial in full
/// (its intermediate values, attributes and, when it trained a run the dashboard can see, that run).
/// Names follow Optuna's (state names, <c>datetime_start</c>, <c>intermediate_values</c>).
/// </summary>
internal static class TrialJson
{
    public sealed record Row(
        int Number, string State, IReadOnlyList<double>? Values,
        IReadOnlyDictionary<string, object?> Params,
        DateTime? DatetimeStart, DateTime? DatetimeComplete, double? DurationSeconds,
        int? LastStep);

    /// <summary>A value the trial reported at a step (epoch).</summary>
    public sealed record Report(int Step, double Value);

    public sealed record Detail(
        Row Trial, IReadOnlyList<Report> IntermediateValues,
        IReadOnlyDictionary<string, JsonElement> UserAttrs,
        IReadOnlyDictionary<string, JsonElement> SystemAttrs,
        string? Run);

    public static Row ToRow(FrozenTrial trial) => new(
        trial.Number, trial.State.ToOptunaName(), trial.Values, trial.Params,
        trial.DatetimeStart, trial.DatetimeComplete, trial.Duration?.TotalSeconds, trial.LastStep);

    public static Detail ToDetail(FrozenTrial trial, string? run) => new(
        ToRow(trial),
        trial.IntermediateValues.OrderBy(v => v.Key).Select(v => new Report(v.Key, v.Value)).ToArray(),
        Parse(trial.UserAttrs), Parse(trial.SystemAttrs), run);

    /// <summary>
    /// Attribute values are stored as JSON texts and sent as the values they encode; a text another
    /// tool wrote that is not JSON is sent as a string rather than failing the whole page.
    /// </summary>
    private static Dictionary<string, JsonElement> Parse(IReadOnlyDictionary<string, string> attrs) =>
        attrs.ToDictionary(a => a.Key, a => ParseOrString(a.Value));

    private static JsonElement ParseOrString(string json)
    {
        try { return JsonDocument.Parse(json).RootElement.Clone(); }
        catch (JsonException) { return JsonSerializer.SerializeToElement(json); }
    }
}
