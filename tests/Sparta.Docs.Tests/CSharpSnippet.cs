using System.Text.RegularExpressions;

namespace Sparta.Docs.Tests;

/// <summary>One ```csharp block of a page of docs/ (or the README), with the line it starts on.</summary>
public sealed partial record CSharpSnippet(string Page, int Line, string Code)
{
    public override string ToString() => $"{Page}:{Line}";

    /// <summary>Every ```csharp block of README.md and docs/*.md, in page and line order.</summary>
    public static IReadOnlyList<CSharpSnippet> All(string root) =>
        Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Append(Path.Combine(root, "README.md"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .SelectMany(p => In(Path.GetRelativePath(root, p), File.ReadAllLines(p)))
            .ToList();

    public static IEnumerable<CSharpSnippet> In(string page, string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            if (!Opening().IsMatch(lines[i])) continue;
            int start = i + 1;
            int end = Array.FindIndex(lines, start, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
            if (end < 0) throw new InvalidOperationException($"{page}:{i + 1}: a ```csharp block that never closes");
            yield return new CSharpSnippet(page, start + 1, string.Join("\n", lines[start..end]));
            i = end;
        }
    }

    [GeneratedRegex(@"^\s*```(csharp|cs|c#)\s*$")]
    private static partial Regex Opening();
}
