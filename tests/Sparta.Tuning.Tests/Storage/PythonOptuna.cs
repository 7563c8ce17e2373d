using System.Diagnostics;
using System.Text.Json;

namespace Sparta.Tuning.Tests.Storage;

/// <summary>
/// Runs Python scripts against Debian's python3-optuna (3.1), the reference the study database
/// must agree with. Floats travel as Python repr strings: JSON has no inf or nan.
/// </summary>
public static class PythonOptuna
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Why Optuna tests cannot run here, or null when they can.</summary>
    public static readonly Lazy<string?> Missing = new(() => Probe("import optuna", "python3-optuna is not installed"));

    /// <summary>Why Optuna cannot reach PostgreSQL here, or null when it can.</summary>
    public static readonly Lazy<string?> MissingPostgres = new(() =>
        Missing.Value ?? Probe("import psycopg2", "python3-psycopg2 is not installed"));

    /// <summary>Python code defining dump(study): the study as JSON, everything Optuna sees of each trial.</summary>
    public const string Prelude = """
        import json, sys, optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        def f(x):
            return repr(float(x))
        def external(v):
            return f(v) if isinstance(v, float) else v
        def dump(study):
            trials = []
            for t in study.get_trials(deepcopy=False):
                trials.append({
                    "number": t.number, "state": t.state.name,
                    "values": None if t.values is None else [f(v) for v in t.values],
                    "params": {k: external(v) for k, v in t.params.items()},
                    "distributions": {k: optuna.distributions.distribution_to_json(d) for k, d in t.distributions.items()},
                    "intermediate": {str(k): f(v) for k, v in t.intermediate_values.items()},
                    "user_attrs": t.user_attrs, "system_attrs": t.system_attrs,
                    "start": None if t.datetime_start is None else t.datetime_start.isoformat(),
                    "complete": None if t.datetime_complete is None else t.datetime_complete.isoformat(),
                })
            return json.dumps({"name": study.study_name, "directions": [d.name for d in study.directions], "trials": trials})
        """;

    /// <summary>Runs <see cref="Prelude"/> then <paramref name="script"/>; returns what it printed last, parsed as JSON.</summary>
    public static JsonElement Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Prelude + "\n" + script);
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"python3 exited with {process.ExitCode}: {stderr.Result}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    private static string? Probe(string statement, string reason)
    {
        try
        {
            var start = new ProcessStartInfo(Python, new[] { "-c", statement }) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0 ? null : reason;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{Python} is not installed";
        }
    }
}

/// <summary>A test that needs Python's Optuna: skipped, with the reason, where it is absent.</summary>
public sealed class OptunaFactAttribute : FactAttribute
{
    public OptunaFactAttribute()
    {
        if (PythonOptuna.Missing.Value is string reason) Skip = reason;
    }
}

/// <summary>A test that needs Python's Optuna with its PostgreSQL driver.</summary>
public sealed class OptunaPostgresFactAttribute : FactAttribute
{
    public OptunaPostgresFactAttribute()
    {
        if (PythonOptuna.MissingPostgres.Value is string reason) Skip = reason;
    }
}

/// <summary>A theory that needs Python's Optuna: skipped, with the reason, where it is absent.</summary>
public sealed class OptunaTheoryAttribute : TheoryAttribute
{
    public OptunaTheoryAttribute()
    {
        if (PythonOptuna.Missing.Value is string reason) Skip = reason;
    }
}
