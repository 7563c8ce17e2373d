using System.Globalization;
using System.Text.Json;
using Sparta.Experiments;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning;

/// <summary>
/// The experiment file a study searches, kept in the study's system attributes: the file's text
/// (with any overrides applied) and its path, whose directory the data paths are relative to. A
/// report or another machine can then rebuild any trial's experiment without the original file.
/// </summary>
public sealed class TunedExperiment
{
    /// <summary>The search experiment as YAML text (a JSON string).</summary>
    public const string TextAttr = "sparta:experiment";
    /// <summary>The experiment file's absolute path (a JSON string).</summary>
    public const string FileAttr = "sparta:experiment_file";

    public TunedExperiment(Experiment search) => Search = search;

    /// <summary>The experiment with its distributions in place.</summary>
    public Experiment Search { get; }

    public void Store(IStudyStorage storage, int studyId)
    {
        storage.SetStudySystemAttr(studyId, TextAttr, JsonSerializer.Serialize(Search.ToYaml()));
        storage.SetStudySystemAttr(studyId, FileAttr, JsonSerializer.Serialize(Path.Combine(Search.Directory, Path.GetFileName(Search.File))));
    }

    /// <summary>The experiment stored with the study, or null when the study tuned something else.</summary>
    public static TunedExperiment? Read(Study study)
    {
        var attrs = study.Storage.GetStudySystemAttrs(study.StudyId);
        if (!attrs.TryGetValue(TextAttr, out var text) || !attrs.TryGetValue(FileAttr, out var file)) return null;
        string path = JsonSerializer.Deserialize<string>(file)!;
        return new TunedExperiment(Experiment.Parse(JsonSerializer.Deserialize<string>(text)!, path, Path.GetDirectoryName(path)));
    }

    /// <summary>
    /// The experiment a trial trained: its parameters in place (the chosen options with their
    /// values) and <paramref name="seed"/>, the trial's (<see cref="Study.SeedOf"/>).
    /// </summary>
    public Experiment ForTrial(FrozenTrial trial, ulong seed) => Seeded(Search.Resolve(trial.Params.ToDictionary(p => p.Key, p => p.Value!)), seed);

    /// <summary>
    /// The trial's seed (stored with the trial, for re-runs) as the run's seed; a file's seed is a non-negative int.
    /// The validation rows stay those the file's seed draws (<c>data.validation_seed</c>, unless the file gives
    /// one): every trial is scored on the same held-out samples, so trials differ by their parameters and their
    /// training's randomness, not by which samples judged them.
    /// </summary>
    public static Experiment Seeded(Experiment resolved, ulong seed)
    {
        var spec = resolved.Spec();
        if (spec.Data.ValidationSplit > 0 && spec.Data.ValidationSeed is null)
            resolved = resolved.With("data.validation_seed", spec.Seed.ToString(CultureInfo.InvariantCulture));
        return resolved.With("seed", RunSeed(seed).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The <c>seed:</c> a trial of seed <paramref name="trialSeed"/> runs with, as its experiment (the best configuration file) holds it.</summary>
    public static ulong RunSeed(ulong trialSeed) => trialSeed & int.MaxValue;
}
