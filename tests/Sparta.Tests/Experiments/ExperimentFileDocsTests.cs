using System.Text.RegularExpressions;
using Sparta.Experiments;
using Sparta.Layers;

namespace Sparta.Tests.Experiments;

/// <summary>docs/experiment-file.md names every callback and layer an experiment file accepts.</summary>
public class ExperimentFileDocsTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "experiment-file.md"));

    [Fact]
    public void EveryRegisteredCallbackIsDocumentedWithItsName()
    {
        foreach (string name in CallbackRegistry.Registry.Names)
            Assert.True(Doc.Contains($"{{name: {name}", StringComparison.Ordinal), $"docs/experiment-file.md does not document callback '{name}' as {{name: {name}, ...}}");
    }

    [Fact]
    public void EveryRegisteredLayerIsDocumented()
    {
        var quoted = Regex.Matches(Doc, "`([a-z0-9_]+)`").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (string name in LayerRegistry.Registry.Names)
            Assert.True(quoted.Contains(name), $"docs/experiment-file.md does not name layer '{name}'");
    }
}
