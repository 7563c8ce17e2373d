using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Sparta.Cli;
using Sparta.Experiments;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.Tests.Reports;
using Sparta.Tuning.Tests.Storage;

namespace Sparta.Tuning.Tests.Cli;

/// <summary><c>sparta report --study</c> on stored studies, and the report <c>sparta tune</c> writes when it ends.</summary>
public sealed class ReportCommandTests(PostgresTestServer server) : IDisposable, IClassFixture<PostgresTestServer>
{
    private const string SearchText = """
        name: small-search
        seed: 0
        epochs: 2
        data:
          dataset: fashion-mnist
          validation_split: 0.2
        model:
          layers:
            - flatten
            - {name: dense, units: {int: [16, 64], step: 16}, activation: relu}
            - {name: dense, units: 10}
        loss: sparse_categorical_crossentropy
        metrics: [accuracy]
        optimizer: {name: adam, learning_rate: {loguniform: [1.0e-4, 1.0e-1]}}
        """;

    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] words)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(words, output, error);
        return (code, output.ToString().Trim(), error.ToString().Trim());
    }

    [OptunaFact]
    public void Reporting_on_an_Optuna_made_sqlite_file_leaves_it_byte_for_byte_as_it_was()
    {
        string url = _dir.SqliteUrl("optuna.db"), file = _dir.File("optuna.db");
        PythonOptuna.Run("""
            study = optuna.create_study(storage=sys.argv[1], study_name="by-optuna")
            study.optimize(lambda t: t.suggest_float("x", -2, 2) ** 2, n_trials=5)
            print(dump(study))
            """, url);
        byte[] before = File.ReadAllBytes(file);
        var (code, output, error) = Run("report", "--study", "by-optuna", "--storage", url, "--out", _dir.File("report.html"));
        Assert.True(code == 0, error);
        Assert.Contains("report.html", output);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.False(File.Exists(file + "-wal"));
    }

    [Fact]
    public void The_report_of_a_study_in_sqlite_lists_every_trial_with_its_state()
    {
        string url = _dir.SqliteUrl();
        var (_, seen) = ReportStudy.Build(StorageUrl.Open(url));
        string path = _dir.File("out/report.html");
        var (code, output, error) = Run("report", "--study", "report", "--storage", url, "--out", path);
        Assert.True(code == 0, error);
        Assert.Equal($"study report written to {path}", output);
        string html = File.ReadAllText(path);
        Assert.Equal(seen.OrderBy(s => s.Number).Select(s => (s.Number, s.Outcome)), ReportStudy.TrialRows(html));
        Assert.Contains("InvalidOperationException: diverged", html);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void The_report_of_a_study_on_postgresql_is_the_same_page()
    {
        string url = server.CreateDatabase();
        var (_, seen) = ReportStudy.Build(StorageUrl.Open(url));
        string path = _dir.File("pg.html");
        var (code, _, error) = Run("report", "--study", "report", "--storage", url, "--out", path);
        Assert.True(code == 0, error);
        Assert.Equal(seen.OrderBy(s => s.Number).Select(s => (s.Number, s.Outcome)), ReportStudy.TrialRows(File.ReadAllText(path)));
    }

    [Fact]
    public void The_default_report_sits_beside_the_sqlite_file_and_is_replaced_whole()
    {
        string url = _dir.SqliteUrl("studies.db");
        ReportStudy.Build(StorageUrl.Open(url));
        string expected = _dir.File("report-report.html");
        File.WriteAllText(expected, "an older report");
        var (code, output, error) = Run("report", "--study", "report", "--storage", url);
        Assert.True(code == 0, error);
        Assert.Equal($"study report written to {expected}", output);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(expected));
    }

    [Fact]
    public void A_study_of_an_experiment_file_reports_its_best_trial_as_an_experiment_file()
    {
        string url = _dir.SqliteUrl();
        var search = Experiment.Parse(SearchText, _dir.File("exp/small-search.yaml"), _dir.File("exp"));
        var storage = StorageUrl.Open(url);
        var study = Study.Create("small", StudyDirection.Maximize, storage, new Sparta.Tuning.Samplers.RandomSampler(2), seed: 9);
        new TunedExperiment(search).Store(storage, study.StudyId);
        var lr = new FloatDistribution(1e-4, 1e-1, log: true);
        var units = new IntDistribution(16, 64, step: 16);
        study.Optimize(t => -Math.Abs(Math.Log10((double)t.Suggest("optimizer.learning_rate", lr)!) + 2) + (long)t.Suggest("model.layers.1.units", units)! / 1000.0, 8);
        var best = study.BestTrial;

        string path = _dir.File("report.html");
        var (code, _, error) = Run("report", "--study", "small", "--storage", url, "--out", path);
        Assert.True(code == 0, error);
        var yaml = WebUtility.HtmlDecode(Regex.Match(File.ReadAllText(path), "<pre class=\"best-experiment\"[^>]*>(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value);
        var written = Experiment.Parse(yaml, "best.yaml");
        Assert.Empty(written.SearchSpace);
        ulong seed = ulong.Parse(best.SystemAttrs[TrialSystemAttrs.Seed], CultureInfo.InvariantCulture);
        Assert.Matches($@"(?m)^seed: {seed & int.MaxValue}$", yaml);
        Assert.Contains($"learning_rate: {((double)best.Params["optimizer.learning_rate"]!).ToString("R", CultureInfo.InvariantCulture)}", yaml);
        Assert.Contains($"units: {best.Params["model.layers.1.units"]}", yaml);
    }

    [Fact]
    public void An_unknown_study_is_an_error_naming_it_and_the_studies_there_are()
    {
        string url = _dir.SqliteUrl();
        ReportStudy.Build(StorageUrl.Open(url));
        var (code, _, error) = Run("report", "--study", "nope", "--storage", url);
        Assert.Equal(2, code);
        Assert.Equal($"sparta report: option --study: no study 'nope' in {url} (it holds: report)", error);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.html"));
    }

    [Fact]
    public void A_missing_database_file_is_named_and_not_created()
    {
        string file = _dir.File("missing.db");
        var (code, _, error) = Run("report", "--study", "x", "--storage", "sqlite:///" + file);
        Assert.Equal(2, code);
        Assert.Contains($"no database file '{file}'", error);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void An_unreachable_server_is_one_line_naming_it_with_the_password_masked()
    {
        var (code, _, error) = Run("report", "--study", "x", "--storage", "postgresql://tuner:secret@127.0.0.1:1/studies");
        Assert.Equal(1, code);
        Assert.StartsWith("sparta report: storage postgresql://tuner:***@127.0.0.1:1/studies: cannot connect", error);
        Assert.DoesNotContain("secret", error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Tune_writes_the_report_beside_its_sqlite_file_and_prints_where()
    {
        string url = _dir.SqliteUrl();
        var (code, output, error) = Run("tune", "--objective", "branin", "--trials", "6", "--sampler", "random", "--seed", "1", "--storage", url);
        Assert.True(code == 0, error);
        string path = _dir.File("branin-random-1-report.html");
        Assert.Contains($"study report written to {path}", output.Split('\n'));
        Assert.Equal(6, Regex.Matches(File.ReadAllText(path), "<tr class=\"trial state-complete\"").Count);

        string chosen = _dir.File("chosen.html");
        Assert.Equal(0, Run("tune", "--objective", "branin", "--trials", "2", "--storage", "memory", "--report", chosen).Code);
        Assert.True(File.Exists(chosen));
    }
}
