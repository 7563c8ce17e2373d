namespace Sparta.Tuning;

/// <summary>Whether an objective is minimized or maximized (Optuna's numbers: NOT_SET 0, MINIMIZE 1, MAXIMIZE 2).</summary>
public enum StudyDirection
{
    NotSet = 0,
    Minimize = 1,
    Maximize = 2,
}

public static class StudyDirectionExtensions
{
    public static string ToOptunaName(this StudyDirection direction) => direction switch
    {
        StudyDirection.Minimize => "MINIMIZE",
        StudyDirection.Maximize => "MAXIMIZE",
        _ => "NOT_SET",
    };

    public static StudyDirection ParseOptunaName(string name) => name switch
    {
        "MINIMIZE" => StudyDirection.Minimize,
        "MAXIMIZE" => StudyDirection.Maximize,
        "NOT_SET" => StudyDirection.NotSet,
        _ => throw new FormatException($"study direction: unknown direction '{name}'"),
    };

    /// <summary>Parses <c>minimize</c>/<c>maximize</c> as a user writes them.</summary>
    public static StudyDirection Parse(string text) => text.ToLowerInvariant() switch
    {
        "minimize" or "min" => StudyDirection.Minimize,
        "maximize" or "max" => StudyDirection.Maximize,
        _ => throw new ArgumentException($"direction: expected minimize or maximize, got '{text}'"),
    };

    /// <summary>True when <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/>.</summary>
    public static bool IsBetter(this StudyDirection direction, double candidate, double incumbent) =>
        direction == StudyDirection.Maximize ? candidate > incumbent : candidate < incumbent;
}
