namespace Sparta.Tensors;

/// <summary>
/// A height and a width: a kernel, pool or stride size. A single integer means a square, as
/// Keras' <c>kernel_size=3</c> means (3, 3); a tuple gives both sides, <c>(3, 5)</c>.
/// </summary>
public readonly record struct Size2D(int Height, int Width)
{
    public static implicit operator Size2D(int side) => new(side, side);

    public static implicit operator Size2D((int Height, int Width) size) => new(size.Height, size.Width);

    public bool IsSquare => Height == Width;

    /// <summary>Itself when both sides are at least 1, else a one-line error naming the argument and the value.</summary>
    public Size2D CheckPositive(string name, string owner) =>
        Height >= 1 && Width >= 1 ? this : throw new ArgumentOutOfRangeException(name, $"{owner}: {name} must be positive integers, got {this}");

    /// <summary>The config value: a number for a square (what configs always held), [height, width] otherwise.</summary>
    public object ToConfig() => IsSquare ? Height : new object[] { (double)Height, (double)Width };

    public override string ToString() => IsSquare ? $"{Height}" : $"[{Height}, {Width}]";
}
