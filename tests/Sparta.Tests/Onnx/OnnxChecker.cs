using System.Diagnostics;

namespace Sparta.Tests.Onnx;

/// <summary>The onnx package's own checker (Debian's python3-onnx), run on a file with full type and shape inference.</summary>
internal static class OnnxChecker
{
    public static void AssertValid(string path)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-c", "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", path },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"onnx.checker rejects {Path.GetFileName(path)}: {error}");
    }
}
