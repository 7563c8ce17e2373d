using System.Text.RegularExpressions;
using Sparta.Charts;
using Sparta.Reports;

namespace Sparta.Tests.Charts;

public class HtmlPageTests
{
    [Fact]
    public void APageEscapesTextInlinesChartsAndLinksItsSections()
    {
        var page = new HtmlPage("run <script>alert(1)</script>");
        page.Section("scores", "Scores & results").Table(["key", "value"], [["val_loss", "<b>0.3</b>"]]);
        page.Section("curves", "Learning curves").Chart(new XYChart("loss", "epoch", "loss").Line("loss", [(1, 2), (2, 1)]));
        string html = page.ToHtml();

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("run &lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("<td>&lt;b&gt;0.3&lt;/b&gt;</td>", html);
        Assert.Contains("<section id=\"scores\">", html);
        Assert.Contains("<a href=\"#curves\">Learning curves</a>", html);
        Assert.Contains("class=\"mark line\"", html);
        // Self-contained: the only URL is the SVG namespace; nothing is fetched.
        Assert.Equal(["http://www.w3.org/2000/svg"], Regex.Matches(html, "https?://[^\"' )]+").Select(m => m.Value).Distinct());
        Assert.DoesNotMatch("<(link|script|img|iframe)\\b", html);
    }

    [Fact]
    public void SectionIdsMustBeUniqueNames()
    {
        var page = new HtmlPage("p");
        page.Section("a", "A");
        Assert.Contains("'a' is used twice", Assert.Throws<ArgumentException>(() => page.Section("a", "again")).Message);
        Assert.Contains("got 'x y'", Assert.Throws<ArgumentException>(() => page.Section("x y", "bad")).Message);
    }

    [Fact]
    public void ATableRowMustFitTheColumns() =>
        Assert.Contains("2 cells for 1 columns", Assert.Throws<ArgumentException>(() => new HtmlPage("p").Section("s", "S").Table(["one"], [["a", "b"]])).Message);
}
