using System.Globalization;

namespace Sparta.Data.Loaders;

/// <summary>
/// A headerless table of numbers, one sample a line, values separated by commas or white space
/// (gzip read transparently): the layout of scikit-learn's bundled data files.
/// </summary>
internal static class NumericRows
{
    /// <summary>Every row after the first <paramref name="skip"/> lines; each must have <paramref name="columns"/> values.</summary>
    public static float[][] Read(string path, int columns, int skip = 0)
    {
        using var reader = new StreamReader(CompressedFile.OpenRead(path, out _));
        var rows = new List<float[]>();
        int line = 0;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            if (++line <= skip || text.Trim().Length == 0) continue;
            var fields = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length != columns) throw new DataFileException(path, $"line {line}", $"expected {columns} values, got {fields.Length}");
            var row = new float[columns];
            for (int c = 0; c < columns; c++)
                row[c] = float.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v
                    : throw new DataFileException(path, $"line {line}, column {c + 1}", $"expected a number, got '{fields[c]}'");
            rows.Add(row);
        }
        return rows.ToArray();
    }
}
