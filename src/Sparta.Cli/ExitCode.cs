namespace Sparta.Cli;

/// <summary>What the <c>sparta</c> process returns.</summary>
public static class ExitCode
{
    public const int Success = 0;

    /// <summary>The input was wrong (a key in the experiment file, a data file, a database), or a check failed.</summary>
    public const int UserError = 1;

    /// <summary>The command line was wrong: an unknown command or option, a bad or missing value.</summary>
    public const int Usage = 2;

    /// <summary>A fault inside Sparta (a broken invariant): printed as a bug with its stack trace. 70 is EX_SOFTWARE of sysexits.h.</summary>
    public const int InternalError = 70;
}
