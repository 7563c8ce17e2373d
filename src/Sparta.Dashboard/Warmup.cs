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
/// Then every page's first requests are made once, so no reader waits for their code to be compiled.
/// </summary>
internal static class Warmup
{
    /// <summary>The warm-up, ended early by <paramref name="stopping"/>; it never fails (a request meeting the same fault reports it).</summary>
    public static Task Start(Uri url, IStudyStorage storage, RunCatalog runs, StudySnapshots snapshots, ImportanceCache importance, CancellationToken stopping) =>
        Task.WhenAll(
            Task.Run(() => Quietly(() => Runs(runs, stopping)), CancellationToken.None),
            Task.Run(() => Quietly(() => Studies(storage, snapshots, importance, stopping)), CancellationToken.None))
        .ContinueWith(_ => Pages(url, storage, runs, stopping), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();

    /// <summary>Runs compared by the warm-up: enough to go through the comparison's code, few enough to stay quick with many runs.</summary>
    private const int ComparedRuns = 5;

    /// <summary>
    /// Asks the dashboard, at its own address, for what each of its pages asks first, as a browser
    /// would: each endpoint's code is compiled on its first call (a few hundred milliseconds on a small
    /// machine, which the first reader of a page would otherwise wait for), and the study's first page of
    /// trials is sorted and kept. The answers are dropped; a request that fails is left to the page.
    /// </summary>
    private static async Task Pages(Uri url, IStudyStorage storage, RunCatalog runs, CancellationToken stopping)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        async Task<string> Get(string path)
        {
            using var response = await client.GetAsync(path, stopping);
            return await response.Content.ReadAsStringAsync(stopping);
        }
        try
        {
            foreach (string path in new[] { "", "app.js", "charts.js", "style.css", "api/studies", "api/runs" }) await Get(path);
            foreach (var info in storage.GetAllStudies())
            {
                string study = $"api/studies/{Uri.EscapeDataString(info.Name)}";
                // The trials as the table first asks for them (app.js: a page of 100 in number order).
                await Get($"{study}/trials?offset=0&limit=100&sort=number&descending=false");
                foreach (string chart in StudyChartApi.Names.Where(c => (c == "pareto") == (info.Directions.Count > 1))) await Get($"{study}/{chart}.svg");
            }
            var names = runs.Names.Select(Uri.EscapeDataString).ToArray();
            if (names.Length == 0) return;
            await Get($"api/runs/{names[0]}");
            await Get($"api/runs/{names[0]}/history.svg");
            string compared = $"runs={string.Join(',', names.Take(ComparedRuns))}";
            using var comparison = System.Text.Json.JsonDocument.Parse(await Get($"api/compare?{compared}"));
            foreach (var key in comparison.RootElement.GetProperty("keys").EnumerateArray())
                await Get($"api/compare/{Uri.EscapeDataString(key.GetString()!)}.svg?{compared}&smoothing=0&x=epoch");
        }
        catch (Exception) { /* stopped, or a fault the page's own request reports */ }
    }

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
