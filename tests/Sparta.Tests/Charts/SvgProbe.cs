using System.Globalization;
using System.Xml.Linq;

namespace Sparta.Tests.Charts;

/// <summary>
/// Reads a chart's SVG as a browser would see it and maps pixels back to data from the plot area's
/// stated axes, by the textbook formulas (not by the chart code), so tests compare drawing and data.
/// </summary>
internal static class SvgProbe
{
    public static XDocument Parse(string svg) => XDocument.Parse(svg);

    public static IEnumerable<XElement> Marks(this XContainer svg, string kind) =>
        svg.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ') is { } classes && classes.Contains("mark") && classes.Contains(kind));

    public static IEnumerable<XElement> WithClass(this XContainer svg, string cssClass) =>
        svg.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    public static double Number(this XElement element, string attribute) =>
        double.Parse((string?)element.Attribute(attribute) ?? throw new InvalidOperationException($"no attribute {attribute} on {element.Name.LocalName}"), CultureInfo.InvariantCulture);

    public static double[] Numbers(this XElement element, string attribute) =>
        ((string)element.Attribute(attribute)!).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public static PlotArea Area(this XElement mark) => new(mark.Ancestors().First(a => (string?)a.Attribute("class") == "plot-area"));

    /// <summary>(x, y) pairs of a path's M/L commands.</summary>
    public static (double X, double Y)[] PathVertices(this XElement path) =>
        ((string)path.Attribute("d")!).Split(['M', 'L'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(',')).Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))).ToArray();

    internal sealed class PlotArea(XElement area)
    {
        public double Width { get; } = area.Number("width");
        public double Height { get; } = area.Number("height");
        public double Left { get; } = area.Number("x");
        public double Top { get; } = area.Number("y");

        /// <summary>Pixel tolerance of the drawing (two decimals) as a data tolerance at value v.</summary>
        public double XTolerance(double v) => Tolerance("x", v, Width);
        public double YTolerance(double v) => Tolerance("y", v, Height);

        public double DataX(double px) => Invert("x", px / Width);

        /// <summary>Where a value of a linear x axis lies, in pixels from the plot's left edge.</summary>
        public double PixelX(double x) => (x - area.Number("data-x-min")) / (area.Number("data-x-max") - area.Number("data-x-min")) * Width;
        public double DataY(double py) => Invert("y", 1 - py / Height);

        private double Invert(string axis, double fraction)
        {
            double min = area.Number($"data-{axis}-min"), max = area.Number($"data-{axis}-max");
            return (string)area.Attribute($"data-{axis}-scale")! == "log"
                ? Math.Pow(10, Math.Log10(min) + fraction * (Math.Log10(max) - Math.Log10(min)))
                : min + fraction * (max - min);
        }

        private double Tolerance(string axis, double v, double pixels)
        {
            double min = area.Number($"data-{axis}-min"), max = area.Number($"data-{axis}-max");
            return (string)area.Attribute($"data-{axis}-scale")! == "log"
                ? Math.Abs(v) * (Math.Pow(10, 0.006 / pixels * Math.Log10(max / min)) - 1) + 1e-12
                : 0.006 / pixels * (max - min);
        }
    }
}
