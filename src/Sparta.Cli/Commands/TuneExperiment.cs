using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tuning;
using Sparta.Tuning.Experiments;
using Sparta.Tuning.Output;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta tune EXP.yaml</c>: the command line's settings handed to <see cref="ExperimentSearch"/>,
/// its trial lines printed as they finish, and the study's report and best experiment written.
/// </summary>
internal static class TuneExperiment
{
    /// <summary>What the command line asked for besides the search itself.</summary>
    public sealed record Settings(ExperimentSearchOptions Search, TuneStorageOptions Storage, string? BestOut, int? Rerun);

    public static Study Run(Experiment experiment, Settings settings, TextWriter output)
    {
        var options = settings.Search;
        string studyName = settings.Storage.NameOr(ExperimentSearch.DefaultStudyName(experiment, options));
        if (settings.Rerun is int number) return Rerun(experiment, settings.Storage, studyName, number, output);
        if (options.Stages is not null)
        {
            var progress = new TuneProgress(output, options.Stages.Sum(), bar: false);
            var staged = ExperimentSearch.Run(experiment, options with { StudyName = studyName, Log = output, OnTrialFinished = progress.Report });
            return Finish(staged, settings.BestOut, output);
        }
        return settings.Storage.Open(storage =>
        {
            if (storage.FindStudy(studyName) is not null) settings.Storage.CheckConcurrency(Study.Load(studyName, storage));
            var objective = new ExperimentObjective(experiment);
            if (objective.Objectives.Count > 1 && settings.BestOut is not null)
                throw new UsageException($"option --best-out: {Path.GetFileName(experiment.File)} has {objective.Objectives.Count} objectives, so no single best trial; its Pareto front is printed and in the study report");
            var progress = new TuneProgress(output, options.Trials, objective.Objectives);
            var result = ExperimentSearch.Run(experiment, options with
            {
                Storage = storage,
                StudyName = studyName,
                Workers = settings.Storage.Workers,
                Concurrency = settings.Storage.Concurrency,
                Heartbeats = settings.Storage.Heartbeats,
                Log = output,
                OnTrialStarted = progress.Started,
                OnTrialFinished = progress.Report,
            });
            progress.Finish();
            if (settings.Storage.ReportPath(studyName) is string report)
            {
                StudyReportFile.Write(result.Study, report);
                output.WriteLine($"study report written to {report}");
            }
            return Finish(result, settings.BestOut, output);
        });
    }

    private static Study Finish(ExperimentSearchResult result, string? bestOut, TextWriter output)
    {
        if (result.Study.IsMultiObjective)
        {
            foreach (var line in TrialLine.ParetoFront(result.BestTrials, StudySystemAttrs.ObjectiveNames(result.Study))) output.WriteLine(line);
            return result.Study;
        }
        output.WriteLine(TrialLine.Best(result.BestTrial));
        if (bestOut is not null)
        {
            AtomicText.Write(bestOut, result.BestExperiment.MovedTo(Path.GetDirectoryName(Path.GetFullPath(bestOut))!).ToYaml());
            output.WriteLine($"best configuration written to {bestOut}");
        }
        return result.Study;
    }

    /// <summary>Trains stored trial <paramref name="number"/> again and prints its value next to the stored one.</summary>
    private static Study Rerun(Experiment experiment, TuneStorageOptions storage, string studyName, int number, TextWriter output)
    {
        var study = storage.Open(s => s.FindStudy(studyName) is null
            ? throw new UsageException($"option --rerun: no study '{studyName}' in {StorageUrl.Mask(storage.Url)} (name it with --study)")
            : Study.Load(studyName, s));
        var trial = TuneRerun.Find(study, number);
        // The seed as the trial's experiment (and the best configuration file) holds it.
        TuneRerun.Print(trial, TunedExperiment.RunSeed(study.SeedOf(trial)), ExperimentSearch.Rerun(experiment, study, trial, output), output);
        return study;
    }
}
