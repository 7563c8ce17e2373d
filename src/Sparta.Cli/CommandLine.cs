using System.CommandLine;
using System.CommandLine.Help;
using Sparta.Cli.Commands;

namespace Sparta.Cli;

/// <summary>
/// The <c>sparta</c> tool: the commands, parsed by System.CommandLine. A parse error is one line
/// (with "did you mean" for a misspelt command or option) and exit code 2; an error a command
/// reports goes through <see cref="Failure"/>.
/// </summary>
public static class CommandLine
{
    /// <summary>The commands, in the order <c>sparta --help</c> lists them. Adding a command is one line here.</summary>
    private static IEnumerable<Command> Commands() =>
    [
        new TrainCommand(),
        new EvaluateCommand(),
        new PredictCommand(),
        new SummaryCommand(),
        new TuneCommand(),
        new ReportCommand(),
        new DashboardCommand(),
        new DoctorCommand(),
        new LabCommand(),
        new ExportCommand(),
        new BenchCommand(),
        new TuneBenchCommand(),
        new CompletionCommand(),
    ];

    /// <summary>The command tree; built per run, so concurrent runs share nothing.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Sparta: train neural networks and tune their hyperparameters on the CPU.") { HelpName = "sparta" };
        foreach (var command in Commands()) root.Add(command);
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExamples(help.Action!);
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();
        return root;
    }

    public static int Run(string[] words, TextWriter output, TextWriter error)
    {
        // "sparta help train" is "sparta train --help"; "sparta" alone lists the commands and fails.
        bool bare = words.Length == 0;
        if (bare) words = ["--help"];
        else if (words[0] == "help") words = [.. words.Skip(1), "--help"];

        var root = Build();
        var parse = root.Parse(words);
        if (ParseErrors.Any(parse))
        {
            error.WriteLine(ParseErrors.Line(parse));
            return ExitCode.Usage;
        }
        try
        {
            // A bad SPARTA_VECTOR_WIDTH is reported before any work, as a bad option would be; the doctor, which diagnoses
            // the set-up, runs and reports it among its problems.
            if (parse.CommandResult.Command is not Sparta.Cli.Commands.DoctorCommand) _ = VectorWidth.Bits;
            int code = parse.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
            return bare ? ExitCode.Usage : code;
        }
        catch (Exception e)
        {
            return Failure.Report(e, CommandPath(parse.CommandResult.Command), error);
        }
    }

    /// <summary>"sparta bench gemm": the words that name <paramref name="command"/>.</summary>
    public static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Add(c is RootCommand ? "sparta" : c.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
