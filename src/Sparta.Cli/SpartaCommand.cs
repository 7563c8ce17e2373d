using System.CommandLine;

namespace Sparta.Cli;

/// <summary>
/// One command of the <c>sparta</c> tool: its options are declared as fields and added in the
/// constructor, <see cref="Execute"/> reads them from the parse result and calls the library.
/// <see cref="Examples"/> are shown at the end of <c>sparta COMMAND --help</c>.
/// </summary>
public abstract class SpartaCommand : Command
{
    protected SpartaCommand(string name, string description, params string[] examples) : base(name, description)
    {
        Examples = examples;
        SetAction(parse =>
        {
            // The --threads a command sets is its own: run beside others in one process (tests, a host), it leaves their count as it found it.
            using var threads = Parallelism.Scope();
            return Execute(parse, parse.InvocationConfiguration.Output);
        });
    }

    public IReadOnlyList<string> Examples { get; }

    /// <summary>Runs the command; returns the exit code. Throw <see cref="UsageException"/> for a bad combination of options.</summary>
    protected abstract int Execute(ParseResult parse, TextWriter output);
}

/// <summary>A command that only groups others (<c>sparta bench gemm</c>, <c>sparta lab init-stats</c>).</summary>
public abstract class SpartaCommandGroup : Command
{
    protected SpartaCommandGroup(string name, string description, params Command[] subcommands) : base(name, description)
    {
        foreach (var command in subcommands) Add(command);
    }
}
