namespace Sparta.Reports;

/// <summary>
/// A table row of an <see cref="HtmlSection"/>: its cells, and optionally a CSS class and
/// <c>data-*</c> attributes (a trial's state and number), so a reader or a test can pick rows out.
/// </summary>
public sealed record HtmlRow(IReadOnlyList<string> Cells, string? CssClass = null, IReadOnlyList<(string Name, string Value)>? Data = null);
