using Sparta.Tuning;
using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Workers;

namespace Sparta.Cli.Commands;

/// <summary>
/// Runs a stored study's trials up to <paramref name="Trials"/> in total, with the trials already
/// in the storage (an earlier run, other processes) counted: a run again resumes, and several runs
/// on one study share the budget. Each worker has its own sampler from <paramref name="Sampler"/>,
/// all seeded with the study's seed: a trial's draws depend on its number, not on its worker. The study keeps the value's name and, when an experiment file is tuned,
/// the file itself, so its report (written when the run ends) can name the value and give the
/// best trial as an experiment file.
/// </summary>
public sealed record TuneStudyRun(TuneStorageOptions Storage, string StudyName, IReadOnlyList<StudyDirection> Directions, ulong Seed, int Trials,
    Func<ulong, ISampler> Sampler, IPruner Pruner, IReadOnlyList<string> ValueNames, TunedExperiment? Experiment = null)
{
    public Study Run(Func<Trial, double> objective, TextWriter output) => Run(Study.Values(objective), output);

    /// <summary>Runs a study of one objective or several: <paramref name="objective"/> returns one value per direction.</summary>
    public Study Run(Func<Trial, IReadOnlyList<double>> objective, TextWriter output)
    {
        var study = Storage.Open(s => Study.CreateOrLoad(StudyName, Directions, s, Seed, Storage.NewStudyConcurrency));
        Storage.CheckConcurrency(study);
        StudySystemAttrs.SetMetricNames(study, ValueNames);
        Experiment?.Store(study.Storage, study.StudyId);
        var progress = new TuneProgress(output, Trials, ValueNames);
        Study Open(int worker) => Study.Load(StudyName, study.Storage, Sampler(study.Seed), Pruner, study.Seed);
        Worker.OptimizeObjectivesInParallel(Storage.Workers, Open, progress.Track(objective), Trials, Storage.Heartbeats, onTrialFinished: progress.Report);
        progress.Finish();
        if (Storage.ReportPath(StudyName) is string report)
        {
            StudyReportFile.Write(study, report);
            output.WriteLine($"study report written to {report}");
        }
        return study;
    }
}
