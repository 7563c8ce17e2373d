using Sparta.Cli;
using Sparta.Experiments;

namespace Sparta.Tests.Cli;

public sealed class FailureTests
{
    [Fact]
    public void SpartasOwnExceptionTypesAreUserErrorsWhateverMethodTheyCameFrom()
    {
        // Not thrown, so no TargetSite at all: as when the JIT inlined the throwing lambda into a LINQ method.
        Assert.True(Failure.IsUserError(new ExperimentException("exp.yaml", "model.layers.0", "keys must be plain names")));
        Assert.False(Failure.IsUserError(new ArgumentException("an argument .NET itself refused")));
        Assert.False(Failure.IsUserError(new InvalidOperationException("Sequence contains no elements")));
    }

    [Fact]
    public void ABclExceptionThrownInsideDotNetIsAFaultOfItsCaller()
    {
        var e = Assert.ThrowsAny<InvalidOperationException>(() => Array.Empty<int>().First());
        Assert.False(Failure.IsUserError(e));
        var error = new StringWriter();
        Assert.Equal(ExitCode.InternalError, Failure.Report(e, "sparta train", error));
        Assert.StartsWith("sparta train: internal error, a bug in Sparta", error.ToString());
    }
}
