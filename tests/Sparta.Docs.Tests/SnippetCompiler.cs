using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sparta.Docs.Tests;

/// <summary>
/// Compiles a snippet as the Program.cs of a console project that references the Sparta and
/// Sparta.Tuning packages: top-level statements, the SDK's implicit usings, nullable on, and
/// only the .NET framework and those two assemblies (with what they bring) to reference.
/// </summary>
public static class SnippetCompiler
{
    // What `<ImplicitUsings>enable</ImplicitUsings>` gives a console project.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var packages = new[] { typeof(Sparta.Tensors.Tensor), typeof(Sparta.Tuning.Study), typeof(YamlDotNet.Core.Parser), typeof(System.Numerics.Tensors.TensorPrimitives) }
            .Select(t => t.Assembly.Location);
        return framework.Concat(packages).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    /// <summary>Writes the snippet's program to <paramref name="path"/>; returns the compiler's errors (and warnings), none when it built.</summary>
    public static IReadOnlyList<string> Compile(CSharpSnippet snippet, string path)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(snippet.Code, options, path: snippet.Page),
            CSharpSyntaxTree.ParseText(ImplicitUsings, options, path: "GlobalUsings.g.cs"),
        };
        var compilation = CSharpCompilation.Create(Path.GetFileNameWithoutExtension(path), trees, References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false));
        using var output = File.Create(path);
        var result = compilation.Emit(output);
        // Lines are the page's: the snippet's first line is its page's line snippet.Line.
        return result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{snippet.Page}:{snippet.Line + d.Location.GetLineSpan().StartLinePosition.Line}: {d.Severity} {d.Id}: {d.GetMessage()}")
            .ToList();
    }
}
