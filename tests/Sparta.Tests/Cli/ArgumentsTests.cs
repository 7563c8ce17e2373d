using Sparta.Cli;

namespace Sparta.Tests.Cli;

public class ArgumentsTests
{
    private static readonly HashSet<string> NoFlags = new();

    [Fact]
    public void ParsesOptionsInBothFormsAndKeepsPositionalWords()
    {
        var args = Arguments.Parse(["gemm", "--size", "256", "--threads=2", "extra"], NoFlags);
        Assert.Equal(["gemm", "extra"], args.Positional);
        Assert.Equal(256, args.Int("size", 0));
        Assert.Equal(2, args.Int("threads", 0));
        args.RejectUnknown("bench");
    }

    [Fact]
    public void RepeatedOptionsAreAllKeptAndTheLastWins()
    {
        var args = Arguments.Parse(["--set", "a=1", "--set", "b=2"], NoFlags);
        Assert.Equal(["a=1", "b=2"], args.All("set"));
        Assert.Equal("b=2", args.String("set"));
    }

    [Fact]
    public void FlagsTakeNoValue()
    {
        var args = Arguments.Parse(["--verbose", "x"], new HashSet<string> { "verbose" });
        Assert.True(args.Flag("verbose"));
        Assert.Equal(["x"], args.Positional);
    }

    [Fact]
    public void UnknownOptionIsNamed()
    {
        var args = Arguments.Parse(["--szie", "3"], NoFlags);
        var error = Assert.Throws<UsageException>(() => args.RejectUnknown("bench gemm"));
        Assert.Contains("--szie", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("1.5")]
    public void BadIntegerNamesTheOptionAndTheValue(string value)
    {
        var args = Arguments.Parse(["--size", value], NoFlags);
        var error = Assert.Throws<UsageException>(() => args.Int("size", 1, min: 1));
        Assert.Contains("--size", error.Message);
        Assert.Contains($"'{value}'", error.Message);
    }

    [Fact]
    public void MissingValueIsAnError()
    {
        var error = Assert.Throws<UsageException>(() => Arguments.Parse(["--size"], NoFlags));
        Assert.Contains("--size", error.Message);
    }

    [Fact]
    public void UnknownCommandExitsWithTwoAndNamesIt()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(["trian"], output, error);
        Assert.Equal(2, code);
        Assert.Contains("'trian'", error.ToString());
    }
}
