using System.Globalization;
using System.Text;

namespace Sparta.Data.Loaders;

/// <summary>
/// Reads a CSV file with a header row. Columns named in <c>categorical</c> keep their text; every
/// other column must hold finite numbers, and a cell that does not (text, empty, NaN, infinity)
/// stops the load with the file, line, column and value. Quoted fields may contain the separator
/// and doubled quotes.
/// </summary>
public static class CsvReader
{
    public static CsvTable Read(string path, IEnumerable<string>? categorical = null, char separator = ',')
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string headerLine = reader.ReadLine() ?? throw new DataFileException(path, "line 1", "empty file: expected a header row");
        var header = SplitLine(headerLine, separator, path, 1);
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DataFileException(path, "line 1", $"column '{duplicate.Key}' appears twice in the header");
        var categoricalSet = new HashSet<string>(categorical ?? [], StringComparer.Ordinal);
        foreach (string name in categoricalSet)
            if (!header.Contains(name)) throw new ArgumentException($"{path}: categorical column '{name}' is not in the header ({string.Join(", ", header)})", nameof(categorical));

        bool[] isText = header.Select(categoricalSet.Contains).ToArray();
        var numbers = header.Select(_ => new List<double>()).ToArray();
        var texts = header.Select(_ => new List<string>()).ToArray();
        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var fields = SplitLine(text, separator, path, line);
            if (fields.Count != header.Count)
                throw new DataFileException(path, $"line {line}", $"expected {header.Count} fields as in the header, got {fields.Count}");
            for (int c = 0; c < fields.Count; c++)
            {
                if (isText[c]) { texts[c].Add(fields[c]); continue; }
                if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                    throw new DataFileException(path, $"line {line}, column '{header[c]}'", $"expected a finite number, got '{fields[c]}'");
                numbers[c].Add(value);
            }
        }
        var columns = header.Select((name, c) => isText[c]
            ? new CsvColumn(name, null, texts[c].ToArray())
            : new CsvColumn(name, numbers[c].ToArray(), null)).ToList();
        int rows = isText.Length == 0 ? 0 : (isText[0] ? texts[0].Count : numbers[0].Count);
        return new CsvTable(path, columns, rows);
    }

    /// <summary>The column names of <paramref name="path"/>'s header row.</summary>
    public static IReadOnlyList<string> Header(string path, char separator = ',')
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return SplitLine(reader.ReadLine() ?? throw new DataFileException(path, "line 1", "empty file: expected a header row"), separator, path, 1);
    }

    private static List<string> SplitLine(string line, char separator, string path, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch != '"') field.Append(ch);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (ch == '"' && string.IsNullOrWhiteSpace(field.ToString())) { field.Clear(); quoted = true; }
            else if (ch == separator) { fields.Add(field.ToString().Trim()); field.Clear(); }
            else field.Append(ch);
        }
        if (quoted) throw new DataFileException(path, $"line {lineNumber}", "a quoted field is not closed (fields spanning lines are not supported)");
        fields.Add(field.ToString().Trim());
        return fields;
    }
}
