namespace Sparta.Cli;

/// <summary>One verb of the <c>sparta</c> tool (<c>bench</c>, <c>train</c>, <c>tune</c>, ...).</summary>
public interface ICommand
{
    string Name { get; }
    string Summary { get; }
    /// <summary>Option names that take no value.</summary>
    IReadOnlySet<string> Flags => new HashSet<string>();
    int Run(Arguments args, TextWriter output);
}
