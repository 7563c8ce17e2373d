using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Sparta.Cli;

/// <summary><c>sparta --version</c>: the version of Sparta's command line, whichever program hosts it.</summary>
public sealed class VersionAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public static string Version =>
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionAction).Assembly.GetName().Version!.ToString();

    public override int Invoke(ParseResult parse)
    {
        parse.InvocationConfiguration.Output.WriteLine(Version);
        return 0;
    }
}
