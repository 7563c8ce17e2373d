using Sparta.Experiments;
using System.Data.Common;

namespace Sparta.Cli;

/// <summary>
/// Turns an exception out of a command into its message and exit code: a usage mistake (2), a
/// problem with the user's files, data or database (1), or a fault inside Sparta (70), which is
/// printed as a bug with its stack trace rather than dressed as the user's mistake.
/// </summary>
public static class Failure
{
    public static int Report(Exception exception, string command, TextWriter error)
    {
        var e = Unwrap(exception);
        if (e is UsageException)
        {
            error.WriteLine($"{command}: {e.Message}");
            return ExitCode.Usage;
        }
        if (IsUserError(e))
        {
            error.WriteLine($"{command}: {e.Message}");
            return ExitCode.UserError;
        }
        error.WriteLine($"{command}: internal error, a bug in Sparta; please report it with this output:");
        error.WriteLine(e.ToString());
        return ExitCode.InternalError;
    }

    /// <summary>
    /// Input and environment problems: files that cannot be read, a database that cannot be
    /// reached, and the checks Sparta makes on what it is given (ArgumentException and its kin,
    /// thrown by Sparta's own code). The same types thrown inside .NET itself (an index out of
    /// range, a sequence with no element) are faults of the code that called it.
    /// </summary>
    public static bool IsUserError(Exception e) => e switch
    {
        IOException or UnauthorizedAccessException or DbException => true,
        // Sparta's own verdict on a file, wherever it was thrown (the JIT may inline the throwing lambda into LINQ's code).
        ExperimentException => true,
        ArgumentException or InvalidOperationException or FormatException or NotSupportedException => DeclaredBySparta(e.GetType()) || ThrownBySparta(e),
        _ => false,
    };

    // Sparta's own exception types (ExperimentException, ConfigKeyException, ...) say what was wrong
    // with the input wherever they are thrown from: a throw inside a lambda that the JIT inlined into
    // a LINQ method reports that method as its TargetSite.
    private static bool DeclaredBySparta(Type type) => InSparta(type.Namespace);

    private static bool ThrownBySparta(Exception e) => InSparta(e.TargetSite?.DeclaringType?.Namespace);

    private static bool InSparta(string? ns) => ns is not null && (ns == "Sparta" || ns.StartsWith("Sparta.", StringComparison.Ordinal));

    /// <summary>A worker's exception arrives wrapped; the one inside is the one to report.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } aggregate) e = aggregate.InnerExceptions[0];
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        return e;
    }
}
