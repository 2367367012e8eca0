using System.Net;
using System.Text;
using Mnist.IO;

namespace Mnist.Reports;

/// <summary>What a run's report page says besides its pictures: the settings it ran with and its final figures.</summary>
/// <param name="Results">Final figures by name, already formatted (e.g. "test accuracy" → "92.1%", "time" → "12.3 s").</param>
public sealed record RunReport(string Title, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Results);

/// <summary>
/// Writes <c>report.html</c> into a run folder: a settings table, the final figures and every PNG
/// in the folder. The page has no scripts, styles or fonts from elsewhere; the pictures are linked
/// by relative path, so the folder can be moved or zipped whole.
/// </summary>
public static class ReportHtml
{
    public const string FileName = "report.html";

    /// <returns>The path of the written page.</returns>
    public static string Write(string folder, RunReport report)
    {
        var pictures = Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(folder, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(p => !p.Split('/').Any(part => part.StartsWith('.')))   // not AtomicFile's temporaries
            .Order(StringComparer.Ordinal)
            .ToList();

        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{Encode(report.Title)}}</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin-bottom: 1.5em; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }
            th { background: #f3f3f3; }
            figure { display: inline-block; margin: 0 1.5em 1.5em 0; vertical-align: top; }
            img { max-width: 100%; border: 1px solid #ddd; }
            </style>
            </head>
            <body>
            <h1>{{Encode(report.Title)}}</h1>

            """);
        AppendTable(html, "Results", report.Results);
        AppendTable(html, "Settings", report.Settings);
        html.Append("<h2>Pictures</h2>\n");
        foreach (var picture in pictures)
        {
            string src = string.Join('/', picture.Split('/').Select(Uri.EscapeDataString));
            html.Append($"<figure><img src=\"{Encode(src)}\" alt=\"{Encode(picture)}\"><figcaption>{Encode(picture)}</figcaption></figure>\n");
        }
        html.Append("</body>\n</html>\n");

        string path = Path.Combine(folder, FileName);
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(html.ToString())));
        return path;
    }

    private static void AppendTable(StringBuilder html, string heading, IReadOnlyDictionary<string, string> rows)
    {
        if (rows.Count == 0) return;
        html.Append($"<h2>{Encode(heading)}</h2>\n<table>\n");
        foreach (var (name, value) in rows)
            html.Append($"<tr><th>{Encode(name)}</th><td>{Encode(value)}</td></tr>\n");
        html.Append("</table>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
