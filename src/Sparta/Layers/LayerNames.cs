using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>Checks and formats for layer names and shapes in messages.</summary>
internal static class LayerNames
{
    /// <summary>A name is a key in weight files and configs: non-empty, no '/' (it separates layer from parameter).</summary>
    public static void Check(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/'))
            throw new ArgumentException($"layer: name must be non-empty and contain no '/', got '{name}'", nameof(name));
    }

    public static string Show(IReadOnlyList<Shape> shapes) => string.Join(" and ", shapes.Select(s => s.ToString()));
}
