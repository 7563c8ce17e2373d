using System.CommandLine;
using System.CommandLine.Parsing;

namespace Sparta.Cli;

public static class ParseResultExtensions
{
    /// <summary>Whether <paramref name="option"/> was written on the command line (not just defaulted).</summary>
    public static bool Given(this ParseResult parse, Option option) => parse.GetResult(option) is OptionResult { Implicit: false };
}
