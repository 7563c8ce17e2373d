using System.Text;
using Sparta.Charts;

namespace Sparta.Reports;

/// <summary>
/// A self-contained HTML report: inline CSS, inline SVG charts, no script and no network resource,
/// so the file opens anywhere and can be mailed or archived alone. Text is always escaped; sections
/// have ids (listed in a table of contents at the top) so a reader or a test can find them.
/// </summary>
public sealed class HtmlPage
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1300px;padding:0 1em;color:#222}
        h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
        nav a{margin-right:1em}table{border-collapse:collapse;margin:.5em 0}
        th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-variant-numeric:tabular-nums}
        th{background:#f3f3f3}pre{background:#f7f7f7;padding:.8em;overflow:auto;border:1px solid #e2e2e2}
        .figure{display:inline-block;margin:.4em .4em .4em 0;vertical-align:top}svg.chart{max-width:100%;height:auto}
        .note{color:#666}
        """;

    private readonly List<HtmlSection> _sections = [];

    public HtmlPage(string title) => Title = title;

    public string Title { get; }

    public IReadOnlyList<HtmlSection> Sections => _sections;

    /// <summary>A new section; its id must be a unique name of letters, digits, '-' or '_' starting with a letter.</summary>
    public HtmlSection Section(string id, string heading)
    {
        if (id.Length == 0 || !char.IsAsciiLetter(id[0]) || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"html page '{Title}': section id must be letters, digits, '-' or '_' starting with a letter, got '{id}'");
        if (_sections.Any(s => s.Id == id)) throw new ArgumentException($"html page '{Title}': section id '{id}' is used twice");
        var section = new HtmlSection(id, heading);
        _sections.Add(section);
        return section;
    }

    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>").Append(SvgWriter.Escape(Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(SvgWriter.Escape(Title)).Append("</h1>\n<nav>");
        foreach (var section in _sections)
            html.Append("<a href=\"#").Append(section.Id).Append("\">").Append(SvgWriter.Escape(section.Heading)).Append("</a>");
        html.Append("</nav>\n");
        foreach (var section in _sections) section.WriteTo(html);
        return html.Append("</body>\n</html>\n").ToString();
    }
}
