using System.Text.Json;

namespace Sparta.Tuning;

/// <summary>Keys of the system attributes Sparta writes on studies; where Optuna has a key for the same thing, it is Optuna's.</summary>
public static class StudySystemAttrs
{
    /// <summary>Optuna's key for the names of the objective values (a JSON list, one name per objective).</summary>
    public const string MetricNames = "study:metric_names";

    public static void SetMetricName(Study study, string name) => SetMetricNames(study, [name]);

    /// <summary>Names the objectives, one name per objective in order.</summary>
    public static void SetMetricNames(Study study, IReadOnlyList<string> names)
    {
        if (names.Count != study.Directions.Count)
            throw new ArgumentException($"metric names: study '{study.Name}' has {study.Directions.Count} objectives, got {names.Count} names");
        study.Storage.SetStudySystemAttr(study.StudyId, MetricNames, JsonSerializer.Serialize(names));
    }

    /// <summary>The objective value's name, or <c>value</c> when the study does not name it.</summary>
    public static string MetricName(Study study) =>
        study.Storage.GetStudySystemAttrs(study.StudyId).TryGetValue(MetricNames, out var json)
        && JsonSerializer.Deserialize<string?[]>(json) is [string name] ? name : "value";

    /// <summary>
    /// One name per objective: as the study names them, else <c>value</c> for a study of one
    /// objective and <c>values_0</c>, <c>values_1</c>, ... (Optuna's column names) for several.
    /// </summary>
    public static IReadOnlyList<string> ObjectiveNames(Study study)
    {
        int count = study.Directions.Count;
        if (count == 1) return [MetricName(study)];
        var named = study.Storage.GetStudySystemAttrs(study.StudyId).TryGetValue(MetricNames, out var json)
            ? JsonSerializer.Deserialize<string?[]>(json) : null;
        return Enumerable.Range(0, count).Select(i => named is not null && i < named.Length && named[i] is { } n ? n : $"values_{i}").ToArray();
    }
}
