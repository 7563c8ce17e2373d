using System.IO.Compression;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Docs;

/// <summary>
/// Every shell command of README.md and docs/*.md runs, page by page in the page's order, and what a
/// page shows a command printing is what the tool prints (numbers to the digits shown; only timings and
/// the directory are not compared), so a change that alters a printed line fails here. A block the test
/// does not run carries <c>&lt;!-- not run: REASON --&gt;</c>. The pages that train on Fashion-MNIST run
/// on a reduced copy (<c>$SPARTA_DATASETS</c>: its first 2,000 training images and first test images) and
/// say so; the other pages run on the data they name.
/// With <c>SPARTA_DOCS_UPDATE=1</c> the pages' outputs are rewritten with what the tool printed.
/// </summary>
public sealed class DocCommandTests
{
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (string file in Directory.GetFiles(System.IO.Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Order(StringComparer.Ordinal))
            pages.Add("docs/" + System.IO.Path.GetFileName(file));
        return pages;
    }

    /// <summary>
    /// The pages whose commands run on the reduced Fashion-MNIST, with its test images: README's show no
    /// output; training.md's transfer head asks for 5,000 test samples.
    /// </summary>
    private static readonly Dictionary<string, int> ReducedData = new()
    {
        ["README.md"] = 500,
        ["docs/diagnostics.md"] = 5000,
        ["docs/onnx.md"] = 5000,
        ["docs/run-report.md"] = 5000,
        ["docs/training.md"] = 5000,
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void ThePageCommandsRunInOrderAndPrintWhatThePageShows(string page)
    {
        string path = System.IO.Path.Combine(RepositoryRoot.Path, page);
        var doc = DocPage.Read(path);
        using var datasets = new TempDirectory();
        var environment = new Dictionary<string, string>();
        if (ReducedData.TryGetValue(page, out int testImages))
        {
            SmallFashionMnist.Write(datasets.Path, train: 2000, test: testImages);
            environment["SPARTA_DATASETS"] = datasets.Path;
        }
        using var session = new DocSession(environment);
        bool update = Environment.GetEnvironmentVariable("SPARTA_DOCS_UPDATE") == "1";
        var failures = new List<string>();
        var rewrites = new List<(DocPage.Command Command, string[] Output)>();
        foreach (var block in doc.Blocks.Where(b => b.NotRun is null))
            foreach (var command in block.Commands)
            {
                var (text, exitCode) = session.Run(command.Text);
                var output = text.Split('\n');
                // A command list shows no output, so it must succeed; a session shows what it prints, errors included.
                if (command.Output is null)
                {
                    if (exitCode != 0) failures.Add($"{page}:{command.Line}: $ {command.Text}\nexit code {exitCode}:\n{text}");
                    continue;
                }
                if (session.Compare(command.Output, output) is { } difference)
                {
                    failures.Add($"{page}:{command.Line}: $ {command.Text}\n{difference}");
                    rewrites.Add((command, output.Select(l => l.Replace(session.Path, DocSession.RepositoryPlaceholder).TrimEnd()).ToArray()));
                }
            }
        if (update && rewrites.Count > 0) Rewrite(doc, rewrites);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void ABlockThatIsNotRunSaysWhy(string page)
    {
        var doc = DocPage.Read(System.IO.Path.Combine(RepositoryRoot.Path, page));
        foreach (var block in doc.Blocks.Where(b => b.NotRun is not null))
            Assert.True(block.NotRun!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3, $"{page}:{block.Line}: 'not run:' needs a reason, got '{block.NotRun}'");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void ACommandOutsideACommandBlockIsMarkedNotRun(string page)
    {
        var doc = DocPage.Read(System.IO.Path.Combine(RepositoryRoot.Path, page));
        var escaped = doc.UntaggedCommands.Where(c => c.NotRun is null).Select(c => $"{page}:{c.Line}: {c.Text}").ToList();
        Assert.True(escaped.Count == 0, "commands in a block that is neither `bash` nor `$ ` lines, so never run: tag the block or mark it <!-- not run: REASON -->\n" + string.Join('\n', escaped));
    }

    /// <summary>Puts what the tool printed in place of each differing output, keeping the block's indentation.</summary>
    private static void Rewrite(DocPage doc, List<(DocPage.Command Command, string[] Output)> rewrites)
    {
        var lines = doc.Lines.ToList();
        foreach (var (command, output) in rewrites.OrderByDescending(r => r.Command.OutputStart))
        {
            string indent = new(doc.Lines[command.Line - 1].TakeWhile(char.IsWhiteSpace).ToArray());
            var trimmed = output.Reverse().SkipWhile(string.IsNullOrEmpty).Reverse().Select(l => indent + l);
            lines.RemoveRange(command.OutputStart, command.OutputEnd - command.OutputStart);
            lines.InsertRange(command.OutputStart, trimmed);
        }
        File.WriteAllText(doc.Path, string.Join('\n', lines));
    }
}

/// <summary>The first images of Debian's Fashion-MNIST, written as a set of <c>$SPARTA_DATASETS</c>: quick runs of the real data.</summary>
internal static class SmallFashionMnist
{
    private const string Installed = "/usr/share/datasets/fashion-mnist";

    public static void Write(string root, int train, int test)
    {
        string directory = System.IO.Path.Combine(root, "fashion-mnist");
        Directory.CreateDirectory(directory);
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            Cut($"{prefix}-images-idx3-ubyte.gz", directory, count, header: 16, itemBytes: 28 * 28);
            Cut($"{prefix}-labels-idx1-ubyte.gz", directory, count, header: 8, itemBytes: 1);
        }
    }

    /// <summary>The IDX file's header with its item count set to <paramref name="count"/>, then its first items.</summary>
    private static void Cut(string name, string directory, int count, int header, int itemBytes)
    {
        using var input = new GZipStream(File.OpenRead(System.IO.Path.Combine(Installed, name)), CompressionMode.Decompress);
        var bytes = new byte[header + count * itemBytes];
        input.ReadExactly(bytes);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        using var output = new GZipStream(File.Create(System.IO.Path.Combine(directory, name)), CompressionLevel.Fastest);
        output.Write(bytes);
    }
}
