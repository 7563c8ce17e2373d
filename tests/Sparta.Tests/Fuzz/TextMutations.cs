namespace Sparta.Tests.Fuzz;

/// <summary>One to three random edits of a text: deletions, insertions of YAML's special characters, replaced values, moved lines.</summary>
internal static class TextMutations
{
    private static readonly string[] Fragments =
    [
        ":", "{", "}", "[", "]", "-", " ", "\n", "#", "\"", "'", "&a", "*a", "!!int", "|", ">", ",", "\t", "\0", "\u001b[2J", "é",
        "-1", "0", "1e999", "nan", ".inf", "null", "~", "[]", "{}", "true", "2147483648", "0.5", "{loguniform: [1, 0]}", "{choice: []}",
        "{int: [3, 1]}", "dense", "conv2d", "relu", "name", "units", "layers", "data", "model",
    ];

    public static string Apply(string text, Random random)
    {
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && text.Length > 0; e++)
        {
            int at = random.Next(text.Length);
            text = random.Next(5) switch
            {
                0 => text.Remove(at, Math.Min(1 + random.Next(12), text.Length - at)),
                1 => text.Insert(at, Fragments[random.Next(Fragments.Length)]),
                2 => ReplaceWord(text, at, Fragments[random.Next(Fragments.Length)]),
                3 => MoveLine(text, random),
                _ => text[..at],
            };
        }
        return text;
    }

    private static string ReplaceWord(string text, int at, string with)
    {
        int start = at, end = at;
        while (start > 0 && char.IsLetterOrDigit(text[start - 1]) || start > 0 && text[start - 1] is '_' or '.') start--;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '_' or '.')) end++;
        return text[..start] + with + text[end..];
    }

    private static string MoveLine(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        int from = random.Next(lines.Count), to = random.Next(lines.Count);
        string line = lines[from];
        lines.RemoveAt(from);
        lines.Insert(to, random.Next(2) == 0 ? line : "  " + line);
        return string.Join('\n', lines);
    }
}
