using System.Diagnostics;

namespace Sparta.Tests;

/// <summary>Runs a script with Debian's /usr/bin/python3 (NumPy, PyTorch, torchvision as installed by test.sh) and returns its output.</summary>
internal static class PythonScript
{
    public static string Run(string script)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python failed: {error.Result}");
        return output.Trim();
    }
}
