using System.Globalization;

namespace Sparta.Experiments;

/// <summary>Typed reads of scalar values, failing with the file, key path and value received.</summary>
internal static class Scalars
{
    /// <summary>A plain scalar as a number or boolean when it reads as one, else its text; quoted scalars stay text.</summary>
    public static object Value(YamlTree node)
    {
        if (!node.IsScalar) throw new InvalidOperationException("not a scalar");
        if (node.Quoted) return node.Text!;
        if (node.Text is "true" or "True") return true;
        if (node.Text is "false" or "False") return false;
        return double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : node.Text!;
    }

    public static double Number(YamlTree node, string file, string path) =>
        node.IsScalar && !node.Quoted && Value(node) is double d && double.IsFinite(d) ? d
        : throw new ExperimentException(file, path, $"must be a number, got {Show(node)}");

    public static double PositiveNumber(YamlTree node, string file, string path)
    {
        double value = Number(node, file, path);
        return value > 0 ? value : throw new ExperimentException(file, path, $"must be positive, got {Format(value)}");
    }

    public static int Int(YamlTree node, string file, string path, int minimum)
    {
        double value = Number(node, file, path);
        if (value != Math.Floor(value) || value > int.MaxValue) throw new ExperimentException(file, path, $"must be an integer, got {Show(node)}");
        if (value < minimum) throw new ExperimentException(file, path, $"must be at least {minimum}, got {Show(node)}");
        return (int)value;
    }

    public static bool Bool(YamlTree node, string file, string path) =>
        node.IsScalar && Value(node) is bool b ? b : throw new ExperimentException(file, path, $"must be true or false, got {Show(node)}");

    public static string Text(YamlTree node, string file, string path) =>
        node.IsScalar && node.Text!.Length > 0 ? node.Text : throw new ExperimentException(file, path, $"must be a non-empty text, got {Show(node)}");

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The value as written, short, for messages.</summary>
    public static string Show(YamlTree node)
    {
        if (node.IsScalar) return $"'{node.Text}'";
        string text = node.ToYaml().Trim().ReplaceLineEndings(" ");
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
