using System.Text.Json;

namespace Sparta.Tuning;

/// <summary>Keys of the system attributes Sparta writes on studies; where Optuna has a key for the same thing, it is Optuna's.</summary>
public static class StudySystemAttrs
{
    /// <summary>Optuna's key for the names of the objective values (a JSON list, one name per objective).</summary>
    public const string MetricNames = "study:metric_names";

    public static void SetMetricName(Study study, string name) =>
        study.Storage.SetStudySystemAttr(study.StudyId, MetricNames, JsonSerializer.Serialize(new[] { name }));

    /// <summary>The objective value's name, or <c>value</c> when the study does not name it.</summary>
    public static string MetricName(Study study) =>
        study.Storage.GetStudySystemAttrs(study.StudyId).TryGetValue(MetricNames, out var json)
        && JsonSerializer.Deserialize<string?[]>(json) is [string name] ? name : "value";
}
