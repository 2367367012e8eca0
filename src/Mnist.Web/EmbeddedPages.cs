using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mnist.Web;

/// <summary>The pages, scripts and styles, served from the assembly's resources (wwwroot/ at build time).</summary>
public static class EmbeddedPages
{
    private static readonly Assembly Assembly = typeof(EmbeddedPages).Assembly;

    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/runs", () => Page("runs.html"));
        app.MapGet("/projector", () => Page("projector.html"));
        app.MapGet("/static/{file}", (string file) => Page(file));
    }

    private static IResult Page(string file)
    {
        var stream = Assembly.GetManifestResourceStream($"wwwroot/{file}");
        if (stream is null) return Results.Json(new { error = $"no such file: {file}" }, statusCode: 404);
        return Results.Stream(stream, ContentType(file));
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
