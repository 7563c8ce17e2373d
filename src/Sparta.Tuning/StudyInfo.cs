namespace Sparta.Tuning;

/// <summary>A study's identity in a storage: its key, unique name and objective directions.</summary>
public sealed record StudyInfo(int StudyId, string Name, IReadOnlyList<StudyDirection> Directions);
