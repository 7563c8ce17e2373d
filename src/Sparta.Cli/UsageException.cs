namespace Sparta.Cli;

/// <summary>A mistake in how the command was called: printed as one line, exit code <see cref="ExitCode.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);
