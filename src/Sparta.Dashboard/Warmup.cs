using Sparta.Tuning;
using Sparta.Tuning.Storage;

namespace Sparta.Dashboard;

/// <summary>
/// What the pages ask for first, prepared in the background as the dashboard starts: each study's
/// trials read and its charts drawn (<see cref="StudySnapshots"/>), its parameter importance fitted
/// (<see cref="ImportanceCache"/>), and every run's history, result and experiment file read
/// (<see cref="RunCatalog"/>). Reading a study of 10,000 trials and fitting its importance take
/// seconds: a page opened after them waits for neither, and one opened sooner waits only for the part
/// it needs (its request finds that part being made and waits for it rather than making it again).
/// </summary>
internal static class Warmup
{
    /// <summary>The warm-up, ended early by <paramref name="stopping"/>; it never fails (a request meeting the same fault reports it).</summary>
    public static Task Start(IStudyStorage storage, RunCatalog runs, StudySnapshots snapshots, ImportanceCache importance, CancellationToken stopping) =>
        Task.WhenAll(
            Task.Run(() => Quietly(() => Runs(runs, stopping)), CancellationToken.None),
            Task.Run(() => Quietly(() => Studies(storage, snapshots, importance, stopping)), CancellationToken.None));

    private static void Studies(IStudyStorage storage, StudySnapshots snapshots, ImportanceCache importance, CancellationToken stopping)
    {
        foreach (var info in storage.GetAllStudies())
        {
            if (stopping.IsCancellationRequested) return;
            Quietly(() =>
            {
                var snapshot = snapshots.Of(Study.Load(info.Name, storage));
                _ = snapshot.Rows;
                // Importance is drawn for one objective only; a study of several shows its Pareto front instead.
                if (info.Directions.Count == 1) importance.Of(snapshot.Study, snapshot.Trials);
            });
        }
    }

    private static void Runs(RunCatalog runs, CancellationToken stopping)
    {
        foreach (var entry in runs.Entries)
        {
            if (stopping.IsCancellationRequested) return;
            Quietly(() => runs.Load(entry, batches: false));
        }
    }

    /// <summary>
    /// Runs a step of the warm-up, leaving any fault to the request that meets it: a study or run the
    /// warm-up cannot read is answered by its request with the same error, where the reader sees it.
    /// </summary>
    private static void Quietly(Action step)
    {
        try { step(); }
        catch (Exception) { /* the request for the same study or run reports it */ }
    }
}
