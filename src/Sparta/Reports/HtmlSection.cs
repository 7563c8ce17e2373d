using System.Text;
using Sparta.Charts;

namespace Sparta.Reports;

/// <summary>One &lt;section id=...&gt; of an <see cref="HtmlPage"/>: paragraphs, lists, tables, preformatted text and charts, in order.</summary>
public sealed class HtmlSection
{
    private readonly StringBuilder _body = new();

    internal HtmlSection(string id, string heading) => (Id, Heading) = (id, heading);

    public string Id { get; }

    public string Heading { get; }

    public HtmlSection Paragraph(string text, string? cssClass = null)
    {
        _body.Append(cssClass is null ? "<p>" : $"<p class=\"{SvgWriter.Escape(cssClass)}\">").Append(SvgWriter.Escape(text)).Append("</p>\n");
        return this;
    }

    public HtmlSection Preformatted(string text, string? cssClass = null)
    {
        _body.Append(cssClass is null ? "<pre>" : $"<pre class=\"{SvgWriter.Escape(cssClass)}\">").Append(SvgWriter.Escape(text)).Append("</pre>\n");
        return this;
    }

    public HtmlSection List(IEnumerable<string> items, string? cssClass = null)
    {
        _body.Append(cssClass is null ? "<ul>\n" : $"<ul class=\"{SvgWriter.Escape(cssClass)}\">\n");
        foreach (string item in items) _body.Append("<li>").Append(SvgWriter.Escape(item)).Append("</li>\n");
        _body.Append("</ul>\n");
        return this;
    }

    public HtmlSection Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows) => Table(headers, rows.Select(cells => new HtmlRow(cells)));

    public HtmlSection Table(IReadOnlyList<string> headers, IEnumerable<HtmlRow> rows)
    {
        _body.Append("<table>\n<thead><tr>");
        foreach (string header in headers) _body.Append("<th>").Append(SvgWriter.Escape(header)).Append("</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            if (row.Cells.Count != headers.Count) throw new ArgumentException($"html table in section '{Id}': a row has {row.Cells.Count} cells for {headers.Count} columns");
            _body.Append("<tr");
            if (row.CssClass is not null) _body.Append(" class=\"").Append(SvgWriter.Escape(row.CssClass)).Append('"');
            foreach (var (name, value) in row.Data ?? []) _body.Append(" data-").Append(name).Append("=\"").Append(SvgWriter.Escape(value)).Append('"');
            _body.Append('>');
            foreach (string cell in row.Cells) _body.Append("<td>").Append(SvgWriter.Escape(cell)).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>The chart's SVG inline, so the page needs no other file.</summary>
    public HtmlSection Chart(Chart chart)
    {
        _body.Append("<div class=\"figure\">\n").Append(chart.ToSvg()).Append("</div>\n");
        return this;
    }

    internal void WriteTo(StringBuilder html) =>
        html.Append("<section id=\"").Append(Id).Append("\">\n<h2>").Append(SvgWriter.Escape(Heading)).Append("</h2>\n")
            .Append(_body).Append("</section>\n");
}
