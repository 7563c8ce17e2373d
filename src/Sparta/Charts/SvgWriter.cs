using System.Globalization;
using System.Text;

namespace Sparta.Charts;

/// <summary>
/// Builds SVG (or HTML) text: invariant numbers, escaped text and attributes, so every chart writes
/// the same way. Pixels are rounded to 0.01; data values keep every digit (round-trip format), so a
/// test can compare a mark's <c>data-*</c> attribute with the value it was given.
/// </summary>
public sealed class SvgWriter
{
    private readonly StringBuilder _text = new();

    /// <summary>
    /// Whether marks carry a &lt;title&gt; tooltip (the reports, read without script, show it on hover);
    /// a page whose script reads the marks' data-* attributes on hover does without them.
    /// </summary>
    public bool Tooltips { get; init; } = true;

    /// <summary>A pixel coordinate: two decimals, no "-0".</summary>
    public static string Px(double value)
    {
        double rounded = Math.Round(value, 2);
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>A data value, exactly: <c>double.Parse(Data(v)) == v</c>.</summary>
    public static string Data(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A value for people to read (tooltips): six significant digits.</summary>
    public static string Short(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Escapes text for element content and attribute values (XML and HTML alike).</summary>
    public static string Escape(string text) => text
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

    /// <summary>A start tag; attributes whose value is null are left out.</summary>
    public SvgWriter Open(string name, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag(name, attributes);
        _text.Append('>');
        return this;
    }

    public SvgWriter Close(string name)
    {
        _text.Append("</").Append(name).Append(">\n");
        return this;
    }

    /// <summary>An element without content.</summary>
    public SvgWriter Empty(string name, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag(name, attributes);
        _text.Append("/>\n");
        return this;
    }

    /// <summary>An element holding escaped text.</summary>
    public SvgWriter Element(string name, string text, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag(name, attributes);
        _text.Append('>').Append(Escape(text)).Append("</").Append(name).Append(">\n");
        return this;
    }

    /// <summary>A mark's &lt;title&gt; tooltip, when <see cref="Tooltips"/> are written.</summary>
    public SvgWriter Tooltip(string text) => Tooltips ? Element("title", text) : this;

    /// <summary>Markup already built (a nested chart, a page fragment): appended as is.</summary>
    public SvgWriter Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    public override string ToString() => _text.ToString();

    private void StartTag(string name, ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        _text.Append('<').Append(name);
        foreach (var (key, value) in attributes)
            if (value is not null) _text.Append(' ').Append(key).Append("=\"").Append(Escape(value)).Append('"');
    }
}
