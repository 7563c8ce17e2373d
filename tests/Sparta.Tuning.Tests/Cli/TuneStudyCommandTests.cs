using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sparta.Cli;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.TestFunctions;

namespace Sparta.Tuning.Tests.Cli;

/// <summary><c>sparta tune</c> on a stored study: shared budget, resume, rerun, storage errors, reproducibility.</summary>
public sealed class TuneStudyCommandTests : IDisposable
{
    private static readonly Regex TrialLine = new(@"^x1: (-?[0-9.e+-]+)  x2: (-?[0-9.e+-]+)  value: ([0-9.e+-]+)  \((\d+)/(\d+)\)$");
    private readonly string _dir = Directory.CreateTempSubdirectory("sparta-tune-study-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Db(string name = "studies") => $"sqlite:///{Path.Combine(_dir, name + ".db")}";

    private static (int Code, string[] Lines, string Error) Run(params string[] words)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(words, output, error);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString().Trim());
    }

    private static string[] Tune(string storage, int trials, params string[] more) =>
        Run(new[] { "tune", "--objective", "branin", "--trials", $"{trials}", "--sampler", "tpe", "--seed", "5", "--storage", storage }.Concat(more).ToArray()) switch
        {
            (0, var lines, _) => lines,
            var (code, _, error) => throw new Xunit.Sdk.XunitException($"exit {code}: {error}"),
        };

    private static List<Match> TrialLines(IEnumerable<string> lines) => lines.Select(l => TrialLine.Match(l)).Where(m => m.Success).ToList();

    private static IReadOnlyList<FrozenTrial> StoredTrials(string url, string study = "branin-tpe-5") =>
        Study.Load(study, StorageUrl.Open(url)).Trials;

    [Theory]
    [InlineData("tune", "--objective", "branin", "--trials", "2")]
    [InlineData("report", "--study", "branin-tpe-5")]
    public void A_file_that_is_not_a_database_is_one_line_naming_it_and_exit_1(params string[] words)
    {
        string file = Path.Combine(_dir, "notes.db");
        File.WriteAllText(file, new string('x', 5000));
        var (code, _, error) = Run([.. words, "--storage", $"sqlite:///{file}"]);
        Assert.Equal(1, code);
        Assert.Single(error.Split('\n'));
        Assert.Contains($"storage sqlite:///{file}: ", error);
        Assert.Contains("not a database", error);
        Assert.Equal(new string('x', 5000), File.ReadAllText(file));
    }

    [Fact]
    public void Two_concurrent_runs_on_one_sqlite_file_split_the_budget()
    {
        string db = Db();
        var runs = new[] { Task.Run(() => Tune(db, 12)), Task.Run(() => Tune(db, 12)) };
        Task.WaitAll(runs);
        var lines = runs.SelectMany(r => TrialLines(r.Result)).ToList();
        var stored = StoredTrials(db);
        Assert.Equal(12, stored.Count);
        Assert.All(stored, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(12, lines.Count);
        // Each printed line is one stored trial, and no trial is printed twice.
        var printed = lines.Select(m => double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)).OrderBy(v => v).ToList();
        var values = stored.Select(t => double.Parse(Sparta.Tuning.Output.TrialLine.FormatValue(t.Value), CultureInfo.InvariantCulture)).OrderBy(v => v).ToList();
        Assert.Equal(values, printed);
    }

    [Fact]
    public void Workers_in_one_process_share_the_budget()
    {
        string db = Db();
        var lines = TrialLines(Tune(db, 9, "--workers", "3"));
        Assert.Equal(9, lines.Count);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"{i}"), lines.Select(m => m.Groups[4].Value));
        Assert.Equal(9, StoredTrials(db).Count(t => t.State == TrialState.Complete));
    }

    [Fact]
    public void A_second_run_resumes_the_study_up_to_its_budget()
    {
        string db = Db();
        var first = TrialLines(Tune(db, 4));
        var second = Tune(db, 10);
        var resumed = TrialLines(second);
        Assert.Equal(4, first.Count);
        Assert.Equal(new[] { "5", "6", "7", "8", "9", "10" }, resumed.Select(m => m.Groups[4].Value));
        var stored = StoredTrials(db);
        Assert.Equal(10, stored.Count);
        // The best line covers the trials of both runs.
        double best = stored.Min(t => t.Value!.Value);
        Assert.StartsWith($"best value={Sparta.Tuning.Output.TrialLine.FormatValue(best)} trial=", second[^1]);
        // A run on a finished study runs nothing more.
        Assert.Empty(TrialLines(Tune(db, 10)));
        Assert.Equal(10, StoredTrials(db).Count);
    }

    [Fact]
    public void Rerun_gives_the_stored_value_of_a_deterministic_objective()
    {
        string db = Db();
        var lines = TrialLines(Tune(db, 6));
        var (code, rerun, _) = Run("tune", "--objective", "branin", "--sampler", "tpe", "--seed", "5", "--storage", db, "--rerun", "3");
        Assert.Equal(0, code);
        var trial = StoredTrials(db).Single(t => t.Number == 3);
        Assert.Equal($"rerun trial=3 seed={Study.TrialSeed(5, 3)} params: x1={Sparta.Tuning.Output.TrialLine.FormatValue(trial.Params["x1"])} x2={Sparta.Tuning.Output.TrialLine.FormatValue(trial.Params["x2"])}", rerun[0]);
        var values = Regex.Match(rerun[1], @"^value=(\S+) stored=(\S+)$");
        Assert.True(values.Success, rerun[1]);
        Assert.Equal(values.Groups[2].Value, values.Groups[1].Value);
        Assert.Equal(lines[3].Groups[3].Value, values.Groups[1].Value);
        double independent = TestFunction.Branin().Evaluate(new[] { (double)trial.Params["x1"]!, (double)trial.Params["x2"]! });
        Assert.Equal(independent, double.Parse(values.Groups[1].Value, CultureInfo.InvariantCulture), 1e-5 * (1 + independent));
    }

    [Fact]
    public void Rerun_of_a_missing_trial_names_it()
    {
        string db = Db();
        Tune(db, 2);
        var (code, _, error) = Run("tune", "--objective", "branin", "--sampler", "tpe", "--seed", "5", "--storage", db, "--rerun", "7");
        Assert.Equal(2, code);
        Assert.Equal("sparta tune: option --rerun: study 'branin-tpe-5' has no trial 7 (it holds 2)", error);
    }

    [Fact]
    public void Rerun_in_a_missing_study_names_it()
    {
        string db = Db();
        var (code, _, error) = Run("tune", "--objective", "branin", "--storage", db, "--study", "nowhere", "--rerun", "0");
        Assert.Equal(2, code);
        Assert.Equal($"sparta tune: option --rerun: no study 'nowhere' in {db} (name it with --study)", error);
    }

    [Fact]
    public void Unreachable_database_is_one_line_naming_the_url_with_the_password_masked()
    {
        var (code, lines, error) = Run("tune", "--objective", "branin", "--trials", "3", "--storage", "postgresql://tuner:secret@127.0.0.1:1/studies");
        Assert.NotEqual(0, code);
        Assert.Empty(lines);
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith("sparta tune: storage postgresql://tuner:***@127.0.0.1:1/studies: ", error);
        Assert.DoesNotContain("secret", error);
    }

    [Fact]
    public void Unknown_storage_scheme_is_a_usage_error()
    {
        var (code, _, error) = Run("tune", "--objective", "branin", "--storage", "mysql://tuner:secret@db/studies");
        Assert.Equal(2, code);
        Assert.StartsWith("sparta tune: option --storage: expected sqlite:///PATH.db", error);
        Assert.EndsWith("got 'mysql://tuner:***@db/studies'", error);
    }

    [Fact]
    public void A_sequential_study_with_the_same_seed_reproduces_exactly()
    {
        var a = Tune(Db("a"), 15);
        var b = Tune(Db("b"), 15);
        Assert.Equal(15, TrialLines(a).Count);
        Assert.Equal(a, b);
        // The stored values are those printed, bit for bit between the two files.
        Assert.Equal(StoredTrials(Db("a")).Select(t => t.Value), StoredTrials(Db("b")).Select(t => t.Value));
        Assert.Equal(StoredTrials(Db("a")).Select(t => t.Params["x1"]), StoredTrials(Db("b")).Select(t => t.Params["x1"]));
    }

    /// <summary>What each stored trial drew: its number, parameters and seed.</summary>
    private static IEnumerable<(int, object?, object?, string)> Drawn(string url) =>
        StoredTrials(url).Select(t => (t.Number, t.Params["x1"], t.Params["x2"], t.SystemAttrs[TrialSystemAttrs.Seed]));

    [Fact]
    public void Workers_draw_the_trials_of_one_worker_with_the_same_concurrency()
    {
        Tune(Db("one"), 14, "--concurrency", "2");
        Tune(Db("two"), 14, "--workers", "2");
        Tune(Db("again"), 14, "--workers", "2");
        Assert.Equal(14, StoredTrials(Db("two")).Count(t => t.State == TrialState.Complete));
        Assert.Equal(Drawn(Db("one")), Drawn(Db("two")));
        Assert.Equal(Drawn(Db("two")), Drawn(Db("again")));
    }

    [Fact]
    public void Two_runs_sharing_a_study_with_its_concurrency_draw_the_trials_of_one_run()
    {
        Tune(Db("one"), 14, "--concurrency", "2");
        // Each run opens its own connections and cache, as a second process does; which run takes
        // which trial, and when, is left to the scheduler.
        Task.WaitAll(Task.Run(() => Tune(Db("shared"), 14, "--concurrency", "2")), Task.Run(() => Tune(Db("shared"), 14, "--concurrency", "2")));
        Assert.Equal(14, StoredTrials(Db("shared")).Count(t => t.State == TrialState.Complete));
        Assert.Equal(Drawn(Db("one")), Drawn(Db("shared")));
    }

    [Fact]
    public void Concurrency_given_on_an_existing_study_must_be_its_own()
    {
        Tune(Db(), 3, "--workers", "2");
        var (code, _, error) = Run("tune", "--objective", "branin", "--trials", "5", "--sampler", "tpe", "--seed", "5", "--storage", Db(), "--concurrency", "3");
        Assert.Equal(2, code);
        Assert.Equal("sparta tune: option --concurrency: study 'branin-tpe-5' was created with concurrency 2, got 3", error);
        Assert.Equal(3, StoredTrials(Db()).Count);
    }

    [Theory]
    [InlineData("--heartbeat", "0", "option --heartbeat: expected seconds in (0, 86400], got 0")]
    [InlineData("--grace", "-1", "option --grace: expected seconds in (0, 86400], got -1")]
    [InlineData("--grace", "2", "option --grace: must be at least the heartbeat interval (10 s), got 2")]
    public void Bad_heartbeat_settings_are_usage_errors_naming_the_option(string option, string value, string message)
    {
        var (code, _, error) = Run("tune", "--objective", "branin", "--trials", "2", "--storage", Db(), option, value);
        Assert.Equal(2, code);
        Assert.Equal($"sparta tune: {message}", error);
        Assert.False(File.Exists(Path.Combine(_dir, "studies.db")));
    }

    [Fact]
    public void Study_option_names_the_study_in_the_storage()
    {
        string db = Db();
        Tune(db, 3, "--study", "first");
        Tune(db, 2, "--study", "second");
        Assert.Equal(3, StoredTrials(db, "first").Count);
        Assert.Equal(2, StoredTrials(db, "second").Count);
    }

    [Fact]
    public void Best_out_writes_the_best_parameters_as_json()
    {
        string db = Db(), file = Path.Combine(_dir, "best.json");
        var lines = Tune(db, 8, "--best-out", file);
        var best = Study.Load("branin-tpe-5", StorageUrl.Open(db)).BestTrial;
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal((double)best.Params["x1"]!, json.RootElement.GetProperty("x1").GetDouble());
        Assert.Equal((double)best.Params["x2"]!, json.RootElement.GetProperty("x2").GetDouble());
        Assert.Equal(2, json.RootElement.EnumerateObject().Count());
        Assert.Contains($"best value={Sparta.Tuning.Output.TrialLine.FormatValue(best.Value)} trial={best.Number} ", lines[^2]);
    }

    [Fact]
    public void Stages_refuse_storage_options()
    {
        var (code, _, error) = Run("tune", "--objective", "branin", "--stages", "4,4", "--storage", Db());
        Assert.Equal(2, code);
        Assert.StartsWith("sparta tune: option --stages: coarse-to-fine runs its stages in memory", error);
    }

    [Fact]
    public void Help_names_the_default_storage()
    {
        var (_, lines, _) = Run("tune", "--help");
        Assert.Contains("(default: sqlite:///runs/sparta-studies.db)", lines.Single(l => l.TrimStart().StartsWith("--storage <URL>")));
    }
}
