using System.CommandLine;
using System.Globalization;
using Sparta.Dashboard;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta bench dashboard [--trials N] [--runs R] [--epochs E] [--repeats K] [--keep DIR]</c>: how
/// long the dashboard takes to answer each request its pages make, on a study of N trials and R runs
/// of E epochs (written to a temporary directory removed afterwards, or kept in DIR), and each page's
/// requests summed.
/// </summary>
public sealed class BenchDashboardCommand : SpartaCommand
{
    private readonly Option<int> _trials = OptionFactory.Int("--trials", "trials of the study", 10_000, 1, 1_000_000);
    private readonly Option<int> _runs = OptionFactory.Int("--runs", "run directories", 50, 1, 10_000);
    private readonly Option<int> _epochs = OptionFactory.Int("--epochs", "epochs of each run", 100, 1, 100_000);
    private readonly Option<int> _repeats = OptionFactory.Int("--repeats", "timed requests of each kind; the median is printed", 5, 1, 1000);
    private readonly Option<string?> _keep = OptionFactory.OptionalText("--keep", "write the study and runs into this new directory and leave them there (sparta dashboard --storage sqlite:///DIR/studies.db --runs DIR/runs serves them)", "DIR");

    public BenchDashboardCommand() : base("dashboard", "Time the dashboard's answers on a large study and many runs.",
        "sparta bench dashboard --trials 10000 --runs 50 --epochs 100")
    {
        foreach (var option in new Option[] { _trials, _runs, _epochs, _repeats, _keep }) Add(option);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var result = DashboardBenchmark.RunAsync(parse.GetValue(_trials), parse.GetValue(_runs), parse.GetValue(_epochs), parse.GetValue(_repeats), output, parse.GetValue(_keep))
            .GetAwaiter().GetResult();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"importance fitted in the background (fANOVA) in {result.ImportanceFitSeconds:F1} s"));
        foreach (var request in result.Requests)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{request.Page,-8} {request.MedianMs,9:F1} ms wall {request.CpuMs,9:F1} ms cpu {request.Bytes,10} bytes  {request.Path}"));
        foreach (var page in result.Requests.GroupBy(r => r.Page))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"page {page.Key}: {page.Sum(r => r.MedianMs):F1} ms wall, {page.Sum(r => r.CpuMs):F1} ms cpu for its {page.Count()} requests, one after another"));
        return 0;
    }
}
