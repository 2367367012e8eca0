using System.Net;
using System.Text;
using Mnist.IO;

namespace Mnist.Reports;

/// <summary>A picture of a report: a PNG in the run folder and what it shows, in words.</summary>
public sealed record ReportFigure(string File, string Caption);

/// <summary>A table of a report: column headings and rows of already formatted cells.</summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>One section of a report, in reading order: a heading, then any of a sentence, a table and pictures.</summary>
public sealed record ReportSection(string Heading, string? Text = null, ReportTable? Table = null, IReadOnlyList<ReportFigure>? Figures = null);

/// <summary>What a run's report page says: its final figures, its sections in reading order, and the settings it ran with.</summary>
/// <param name="Results">Final figures by name, already formatted (e.g. "test accuracy" → "92.1%", "time" → "12.3 s").</param>
public sealed record RunReport(string Title, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Results,
    IReadOnlyList<ReportSection> Sections);

/// <summary>
/// Writes <c>report.html</c> into a run folder: the results, then each section in order, then the
/// settings. The page is one self-contained file: its pictures are embedded as data URIs and it has
/// no scripts, styles or fonts from elsewhere, so it can be sent on its own.
/// </summary>
public static class ReportHtml
{
    public const string FileName = "report.html";

    /// <returns>The path of the written page.</returns>
    /// <remarks>A figure whose file is not in <paramref name="folder"/> is left out (a run that drew no such picture).</remarks>
    public static string Write(string folder, RunReport report)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{Encode(report.Title)}}</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1700px; }
            table { border-collapse: collapse; margin-bottom: 1.5em; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }
            th { background: #f3f3f3; }
            td.number { text-align: right; font-variant-numeric: tabular-nums; }
            figure { display: inline-block; margin: 0 1.5em 1.5em 0; vertical-align: top; max-width: 100%; }
            figcaption { max-width: 800px; }
            img { max-width: 100%; border: 1px solid #ddd; }
            </style>
            </head>
            <body>
            <h1>{{Encode(report.Title)}}</h1>

            """);
        AppendPairs(html, "Results", report.Results);
        foreach (var section in report.Sections) AppendSection(html, folder, section);
        AppendPairs(html, "Settings", report.Settings);
        html.Append("</body>\n</html>\n");

        string path = Path.Combine(folder, FileName);
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(html.ToString())));
        return path;
    }

    private static void AppendSection(StringBuilder html, string folder, ReportSection section)
    {
        var figures = (section.Figures ?? []).Where(f => File.Exists(Path.Combine(folder, f.File))).ToList();
        if (section.Text is null && section.Table is null && figures.Count == 0) return;
        html.Append($"<h2>{Encode(section.Heading)}</h2>\n");
        if (section.Text is not null) html.Append($"<p>{Encode(section.Text)}</p>\n");
        if (section.Table is not null) AppendTable(html, section.Table);
        foreach (var figure in figures)
        {
            string data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, figure.File)));
            html.Append($"<figure><img src=\"data:image/png;base64,{data}\" alt=\"{Encode(figure.Caption)}\">" +
                        $"<figcaption>{Encode(figure.Caption)}</figcaption></figure>\n");
        }
    }

    private static void AppendPairs(StringBuilder html, string heading, IReadOnlyDictionary<string, string> rows)
    {
        if (rows.Count == 0) return;
        html.Append($"<h2>{Encode(heading)}</h2>\n<table>\n");
        foreach (var (name, value) in rows)
            html.Append($"<tr><th>{Encode(name)}</th><td>{Encode(value)}</td></tr>\n");
        html.Append("</table>\n");
    }

    private static void AppendTable(StringBuilder html, ReportTable table)
    {
        html.Append("<table>\n<tr>");
        foreach (var column in table.Columns) html.Append($"<th>{Encode(column)}</th>");
        html.Append("</tr>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            // The first cell names the row; the others are figures, right-aligned so their digits line up.
            for (int i = 0; i < row.Count; i++) html.Append(i == 0 ? $"<th>{Encode(row[i])}</th>" : $"<td class=\"number\">{Encode(row[i])}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
