using System.CommandLine;
using System.CommandLine.Invocation;

namespace Sparta.Cli;

/// <summary><c>--help</c> as System.CommandLine writes it, then the command's examples.</summary>
public sealed class HelpWithExamples(CommandLineAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parse)
    {
        int code = help is SynchronousCommandLineAction action ? action.Invoke(parse) : 0;
        if (parse.CommandResult.Command is SpartaCommand { Examples.Count: > 0 } command)
        {
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (string example in command.Examples) output.WriteLine($"  {example}");
            output.WriteLine();
        }
        return code;
    }
}
