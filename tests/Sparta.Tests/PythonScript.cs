using System.Diagnostics;

namespace Sparta.Tests;

/// <summary>Runs a script with Debian's /usr/bin/python3 (numpy, scikit-learn, PyTorch, Optuna as test.sh installs them): the reference implementations.</summary>
internal static class PythonScript
{
    /// <summary>The script's standard output, trimmed; a failing script fails the test with its standard error.</summary>
    public static string Run(string script)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python failed: {error}");
        return output.Trim();
    }
}
