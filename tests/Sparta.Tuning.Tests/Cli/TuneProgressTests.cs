using System.Text.RegularExpressions;
using Sparta.Cli.Commands;
using Sparta.Terminal;
using Sparta.Tuning.Output;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.Tests.Storage;

namespace Sparta.Tuning.Tests.Cli;

public class TuneProgressTests
{
    private static double Objective(Trial trial) => Math.Pow(trial.SuggestFloat("x", -2, 2) - 0.5, 2);

    [Fact]
    public void Plain_output_is_exactly_one_trial_line_per_trial()
    {
        var study = Study.Create(sampler: new RandomSampler(1));
        var output = new StringWriter();
        var progress = new TuneProgress(output, 4, bar: false);
        study.Optimize(Objective, 4, progress.Report);
        progress.Finish();
        var expected = study.Trials.Select((t, i) => TrialLine.Format(t, i + 1, 4) + Environment.NewLine);
        Assert.Equal(string.Concat(expected), output.ToString());
    }

    [Fact]
    public void On_a_terminal_a_bar_with_the_best_value_follows_each_line_and_is_cleared_at_the_end()
    {
        var study = Study.Create(sampler: new RandomSampler(2));
        var output = new StringWriter();
        var progress = new TuneProgress(output, 3, "loss", bar: true);
        study.Optimize(Objective, 3, progress.Report);
        progress.Finish();
        var trials = study.Trials;
        string expected = "";
        for (int k = 0; k < 3; k++)
        {
            double best = trials.Take(k + 1).Min(t => t.Value!.Value);
            expected += ProgressDisplay.ClearLine + TrialLine.Format(trials[k], k + 1, 3, "loss") + Environment.NewLine
                        + TuneProgress.BarLine(k + 1, 3, best, "loss");
        }
        Assert.Equal(expected + ProgressDisplay.ClearLine, output.ToString());
    }

    [Theory]
    [InlineData(0, 10, null, "[..............................] 0/10")]
    [InlineData(5, 10, 0.25, "[###############...............] 5/10 best value: 0.250000")]
    [InlineData(12, 10, -1.5, "[##############################] 12/10 best value: -1.500000")] // retries can pass the budget
    public void Bar_line_shows_the_share_done_the_count_and_the_best(int finished, int budget, double? best, string expected) =>
        Assert.Equal(expected, TuneProgress.BarLine(finished, budget, best, "value"));

    [Fact]
    public void Workers_in_two_processes_number_their_trials_as_one_sequence()
    {
        using var directory = new TemporaryDirectory();
        string url = directory.SqliteUrl();
        using var first = StorageUrl.Open(url);
        using var second = StorageUrl.Open(url); // its own connections and cache, as another process has
        var a = Study.Create("shared", storage: first, sampler: new RandomSampler(1));
        var b = Study.Load("shared", second, new RandomSampler(2));
        var outputA = new StringWriter();
        var outputB = new StringWriter();
        var progressA = new TuneProgress(outputA, 6, bar: false);
        var progressB = new TuneProgress(outputB, 6, bar: false);
        for (int round = 0; round < 3; round++)
        {
            a.Optimize(Objective, 1, progressA.Report);
            b.Optimize(Objective, 1, progressB.Report);
        }
        var numbers = Regex.Matches(outputA.ToString() + outputB.ToString(), @"\((\d+)/6\)").Select(m => int.Parse(m.Groups[1].Value)).Order();
        Assert.Equal(Enumerable.Range(1, 6), numbers);
        Assert.Contains("(2/6)", outputB.ToString()); // not (1/6): the other process finished one first
    }

    [Fact]
    public void Trials_run_elsewhere_count_when_they_finished_before()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        FrozenTrial Finished(int number, int second) => new() { Number = number, State = TrialState.Complete, DatetimeComplete = start.AddSeconds(second) };
        var trials = new[] { Finished(0, 30), Finished(1, 10), Finished(2, 20), Finished(3, 40) };
        var here = new HashSet<int> { 2, 3 };
        // Trial 2 (here, at 20 s): only trial 1 ran elsewhere before it; trial 3 (at 40 s): trials 0 and 1.
        Assert.Equal(1, TuneProgress.FinishedElsewhereBefore(trials, trials[2], here));
        Assert.Equal(2, TuneProgress.FinishedElsewhereBefore(trials, trials[3], here));
        Assert.Equal(0, TuneProgress.FinishedElsewhereBefore(trials, trials[1], new HashSet<int> { 0, 1, 2, 3 }));
    }

    [Fact]
    public void A_retried_attempt_does_not_count_so_k_never_passes_the_budget()
    {
        var trials = new FrozenTrial[]
        {
            new() { Number = 0, State = TrialState.Complete },
            new() { Number = 1, State = TrialState.Fail },
            new() { Number = 2, State = TrialState.Fail },
            new() { Number = 3, State = TrialState.Complete, SystemAttrs = new Dictionary<string, string> { [TrialSystemAttrs.FailedTrial] = "1", [TrialSystemAttrs.RetryHistory] = "[1]" } },
        };
        // Trial 1's worker died and trial 3 reran it; trial 2 failed on its own and counts.
        Assert.Equal(new[] { 0, 2, 3 }, TuneProgress.Counted(trials, trials).Select(t => t.Number));
        // While the retry still runs, the attempt it replaces no longer counts either.
        var running = trials[3] with { State = TrialState.Running };
        Assert.Equal(new[] { 0, 2 }, TuneProgress.Counted(trials[..3], [.. trials[..3], running]).Select(t => t.Number));
    }

    [Fact]
    public void Workers_of_one_process_print_their_lines_in_order_whatever_order_they_finish_in()
    {
        var study = Study.Create(sampler: new RandomSampler(3));
        var output = new StringWriter();
        var progress = new TuneProgress(output, 9, bar: false);
        var objective = progress.Track(Objective);
        Sparta.Tuning.Workers.Worker.OptimizeInParallel(3, _ => Study.Load(study.Name, study.Storage, new RandomSampler(3)), t =>
        {
            Thread.Sleep(t.Number % 3 * 5); // finish out of number order
            return objective(t);
        }, 9, onTrialFinished: progress.Report);
        var numbers = Regex.Matches(output.ToString(), @"\((\d+)/9\)").Select(m => int.Parse(m.Groups[1].Value));
        Assert.Equal(Enumerable.Range(1, 9), numbers);
    }
}
