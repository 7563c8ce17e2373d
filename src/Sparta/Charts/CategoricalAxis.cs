namespace Sparta.Charts;

/// <summary>
/// Named values evenly spread along the axis; a value on it is the category's index
/// (as a study stores a categorical parameter).
/// </summary>
public sealed class CategoricalAxis : Axis
{
    private readonly string[] _categories;

    public CategoricalAxis(string label, IEnumerable<string> categories) : base(label)
    {
        _categories = categories.ToArray();
        if (_categories.Length == 0) throw new ArgumentException($"categorical axis '{label}': needs at least one category");
        Ticks = _categories.Select((c, i) => new Tick(i, c)).ToArray();
    }

    public override string Scale => "category";
    public override double Min => 0;
    public override double Max => _categories.Length - 1;
    public override IReadOnlyList<Tick> Ticks { get; }
    public IReadOnlyList<string> Categories => _categories;

    /// <summary>A single category sits in the middle.</summary>
    public override double Fraction(double value) => _categories.Length == 1 ? 0.5 : value / (_categories.Length - 1);

    public int IndexOf(string category)
    {
        int index = Array.IndexOf(_categories, category);
        return index >= 0 ? index : throw new ArgumentException($"categorical axis '{Label}': unknown category '{category}' (known: {string.Join(", ", _categories)})");
    }
}
