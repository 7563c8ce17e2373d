using System.Diagnostics;
using System.Reflection;

namespace Sparta.Docs.Tests;

/// <summary>
/// The entry point of this assembly: <c>dotnet Sparta.Docs.Tests.dll SNIPPET.dll</c> runs a compiled
/// snippet in a process of its own, in the working directory the test chose, with this assembly's
/// dependencies (the snippet's references) at hand.
/// </summary>
public static class SnippetHost
{
    public static int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: Sparta.Docs.Tests SNIPPET.dll");
            return 2;
        }
        var entry = Assembly.LoadFrom(args[0]).EntryPoint ?? throw new InvalidOperationException($"{args[0]} has no entry point");
        try { entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]); }
        catch (TargetInvocationException e) { Console.Error.WriteLine(e.InnerException); return 1; }
        return 0;
    }

    /// <summary>Runs <paramref name="program"/> in <paramref name="directory"/>; returns its exit code and what it printed.</summary>
    public static (int Code, string Output, string Error) Run(string program, string directory, TimeSpan timeout)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(typeof(SnippetHost).Assembly.Location);
        start.ArgumentList.Add(program);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output.Result, $"still running after {timeout.TotalSeconds} s\n{error.Result}");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
