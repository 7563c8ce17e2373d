using System.Text.RegularExpressions;

namespace Sparta.Tests.Docs;

/// <summary>
/// The shell commands of a Markdown page, in the page's order. A fenced block either lists commands
/// (a <c>bash</c> or <c>sh</c> block: one per line, a trailing <c># comment</c> dropped, nothing compared)
/// or shows a session (<c>$ command</c> lines, continued by a trailing backslash, each followed by the
/// output it prints, compared). A block preceded by <c>&lt;!-- not run: REASON --&gt;</c> is skipped for that reason.
/// A block of neither kind whose lines look like commands is kept as <see cref="UntaggedCommands"/>, so that
/// a command cannot escape the test by missing its <c>bash</c> tag or its <c>$</c>.
/// </summary>
public sealed partial class DocPage
{
    /// <summary>One command, the output the page shows for it (null in a command list) and where it is.</summary>
    public sealed record Command(string Text, IReadOnlyList<string>? Output, int Line, int OutputStart, int OutputEnd);

    /// <summary>A fenced block with commands; <see cref="NotRun"/> the reason it is skipped, or null.</summary>
    public sealed record Block(int Line, string? NotRun, IReadOnlyList<Command> Commands);

    /// <summary>A line that looks like a shell command in a block that is neither a command list nor a session.</summary>
    public sealed record UntaggedCommand(int Line, string Text, string? NotRun);

    private DocPage(string path, string[] lines, IReadOnlyList<Block> blocks, IReadOnlyList<UntaggedCommand> untagged) =>
        (Path, Lines, Blocks, UntaggedCommands) = (path, lines, blocks, untagged);

    public string Path { get; }
    public string[] Lines { get; }
    public IReadOnlyList<Block> Blocks { get; }
    public IReadOnlyList<UntaggedCommand> UntaggedCommands { get; }

    public static DocPage Read(string path)
    {
        var lines = File.ReadAllText(path).Split('\n');
        var blocks = new List<Block>();
        var untagged = new List<UntaggedCommand>();
        for (int i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success) continue;
            int start = i;
            string indent = fence.Groups[1].Value, language = fence.Groups[2].Value;
            int end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            var body = Enumerable.Range(start + 1, end - start - 1).Select(k => (Line: k, Text: Unindent(lines[k], indent))).ToList();
            string? notRun = NotRunReason(lines, start);
            var commands = language is "bash" or "sh" ? CommandList(body) : Session(body);
            if (commands.Count > 0) blocks.Add(new Block(start + 1, notRun, commands));
            else if (language is "" or "console" or "shell" or "text") untagged.AddRange(body.Where(b => CommandLike().IsMatch(b.Text)).Select(b => new UntaggedCommand(b.Line + 1, b.Text.Trim(), notRun)));
            i = end;
        }
        return new DocPage(path, lines, blocks, untagged);
    }

    private static string Unindent(string line, string indent) => line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line.TrimStart();

    /// <summary>The reason of a <c>&lt;!-- not run: ... --&gt;</c> comment on the last non-blank line before the fence.</summary>
    private static string? NotRunReason(string[] lines, int fence)
    {
        int k = fence - 1;
        while (k >= 0 && lines[k].Trim().Length == 0) k--;
        if (k < 0) return null;
        var match = NotRunComment().Match(lines[k]);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    private static List<Command> CommandList(List<(int Line, string Text)> body)
    {
        var commands = new List<Command>();
        foreach (var (line, text) in body)
        {
            string command = StripComment(text).Trim();
            if (command.Length > 0) commands.Add(new Command(command, null, line + 1, line, line));
        }
        return commands;
    }

    private static List<Command> Session(List<(int Line, string Text)> body)
    {
        var commands = new List<Command>();
        for (int j = 0; j < body.Count; j++)
        {
            if (!body[j].Text.StartsWith("$ ", StringComparison.Ordinal)) continue;
            int line = body[j].Line;
            string command = body[j].Text[2..];
            while (command.EndsWith('\\') && j + 1 < body.Count) command = command[..^1] + " " + body[++j].Text.Trim();
            int first = j + 1;
            while (j + 1 < body.Count && !body[j + 1].Text.StartsWith("$ ", StringComparison.Ordinal)) j++;
            var output = body.Skip(first).Take(j + 1 - first).Select(b => b.Text).ToList();
            int outputStart = first < body.Count ? body[first].Line : body[^1].Line + 1;
            commands.Add(new Command(command.Trim(), output, line + 1, outputStart, outputStart + output.Count));
        }
        return commands;
    }

    /// <summary>A shell comment: a <c>#</c> after a space, outside quotes.</summary>
    private static string StripComment(string text)
    {
        char quote = '\0';
        for (int k = 0; k < text.Length; k++)
        {
            char c = text[k];
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c is '\'' or '"') quote = c;
            else if (c == '#' && (k == 0 || char.IsWhiteSpace(text[k - 1]))) return text[..k];
        }
        return text;
    }

    [GeneratedRegex(@"^(\s*)```(\w*)\s*$")]
    private static partial Regex Fence();

    /// <summary>The start of a line that runs the tool, a build, a script or a peer.</summary>
    [GeneratedRegex(@"^\s*(\./sparta|sparta |dotnet |\./[\w.-]+\.sh|/usr/bin/|python3 |cd |for |export )")]
    private static partial Regex CommandLike();

    [GeneratedRegex(@"<!--\s*not run:(.*?)-->")]
    private static partial Regex NotRunComment();
}
