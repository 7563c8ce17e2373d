namespace Sparta.Docs.Tests;

/// <summary>
/// Every C# snippet of the documentation is a program a user can paste into a console project:
/// it compiles against the packages (no warning either) and runs to the end, in a directory of its
/// own holding a copy of the repository's examples/ (as a user runs from a checkout).
/// </summary>
public sealed class DocSnippetTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<CSharpSnippet> Snippets => new(CSharpSnippet.All(Root));

    [Fact]
    public void TheExtractionFindsTheSnippetsOfThePagesThatHaveThem()
    {
        var pages = CSharpSnippet.All(Root).Select(s => s.Page).ToHashSet();
        foreach (string page in new[] { "docs/library.md", "docs/training.md", "docs/tuning.md" })
            Assert.Contains(page, pages);
        var lines = new[] { "text", "```csharp", "var a = 1;", "var b = a;", "```", "```bash", "ls", "```" };
        var only = Assert.Single(CSharpSnippet.In("page.md", lines));
        Assert.Equal(("page.md", 3, "var a = 1;\nvar b = a;"), (only.Page, only.Line, only.Code));
    }

    [Fact]
    public void ACompilerErrorIsReportedAtThePagesLine()
    {
        using var directory = new WorkDirectory();
        var errors = SnippetCompiler.Compile(new CSharpSnippet("docs/page.md", 10, "var x = 1;\nConsole.WriteLine(train);"), Path.Combine(directory.Path, "s.dll"));
        Assert.Contains(errors, e => e.StartsWith("docs/page.md:11: Error CS0103", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void CompilesAndRuns(CSharpSnippet snippet)
    {
        using var directory = new WorkDirectory();
        CopyDirectory(Path.Combine(Root, "examples"), Path.Combine(directory.Path, "examples"));
        string program = Path.Combine(directory.Path, "snippet.dll");
        var errors = SnippetCompiler.Compile(snippet, program);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var (code, output, error) = SnippetHost.Run(program, directory.Path, TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"{snippet} exited with {code}\n{output}\n{error}");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Sparta.sln"))) return directory.FullName;
        throw new InvalidOperationException($"no Sparta.sln above {AppContext.BaseDirectory}");
    }

    private sealed class WorkDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sparta-snippet-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
