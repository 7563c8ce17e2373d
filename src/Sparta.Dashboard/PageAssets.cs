using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sparta.Dashboard;

/// <summary>The page itself (HTML, script, style), embedded in this assembly and served from memory.</summary>
internal static class PageAssets
{
    private static readonly (string Route, string Resource, string ContentType)[] Assets =
    [
        ("/", "wwwroot/index.html", "text/html; charset=utf-8"),
        ("/charts.js", "wwwroot/charts.js", "text/javascript; charset=utf-8"),
        ("/app.js", "wwwroot/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "wwwroot/style.css", "text/css; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, contentType) in Assets)
        {
            byte[] content = Read(resource);
            app.MapGet(route, () => Results.Bytes(content, contentType));
        }
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"dashboard: resource '{resource}' is missing from the assembly");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
