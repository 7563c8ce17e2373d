using Sparta.Cli;
using Sparta.Cli.Commands;

return CommandLine.Run(args, Console.Out, Console.Error);

namespace Sparta.Cli
{
    /// <summary>Dispatches the first word to a command; turns expected errors into one line and an exit code.</summary>
    public static class CommandLine
    {
        public static IReadOnlyList<ICommand> Commands { get; } = new ICommand[]
        {
            new BenchCommand(),
            new TrainCommand(),
            new TuneCommand(),
            new TuneBenchCommand(),
            new LabCommand(),
            new DoctorCommand(),
            new ReportCommand(),
            new DashboardCommand(),
        };

        public static int Run(string[] words, TextWriter output, TextWriter error)
        {
            if (words.Length == 0 || words[0] is "help" or "--help" or "-h")
            {
                output.WriteLine("usage: sparta COMMAND [options]");
                foreach (var c in Commands) output.WriteLine($"  {c.Name,-10} {c.Summary}");
                return words.Length == 0 ? 2 : 0;
            }
            var command = Commands.FirstOrDefault(c => c.Name == words[0]);
            if (command is null)
            {
                error.WriteLine($"sparta: unknown command '{words[0]}' (known: {string.Join(", ", Commands.Select(c => c.Name))})");
                return 2;
            }
            try
            {
                var parsed = Arguments.Parse(words.Skip(1), command.Flags);
                return command.Run(parsed, output);
            }
            catch (UsageException e)
            {
                error.WriteLine($"sparta {command.Name}: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
            {
                error.WriteLine($"sparta {command.Name}: {e.Message}");
                return 1;
            }
        }
    }
}
