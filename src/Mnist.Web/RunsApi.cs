using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mnist.Data;
using Mnist.Training;

namespace Mnist.Web;

/// <summary>
/// The runs page's data: every run folder with its settings and final figures, its metrics.jsonl from a given
/// line on (polled by the page, so a run still training grows), its pictures, its confusion matrix with the
/// test images of each cell, and test images by index (of the named model's data set).
/// </summary>
public static class RunsApi
{
    private static readonly string[] Pictures = [RunArtifacts.ConfusionFileName, RunArtifacts.PredictionsFileName, RunArtifacts.WeightsFileName];

    public static void Map(WebApplication app, string? runsFolder, ServedModels models, TestSetPredictions predictions)
    {
        app.MapGet("/api/runs", () => Results.Json(Folders(runsFolder).Select(Describe).ToArray(), Json.Web));

        app.MapGet("/api/runs/{id}/metrics", (string id, int? from) =>
        {
            string folder = Folder(runsFolder, id);
            var lines = CompleteLines(Path.Combine(folder, MetricsLog.FileName));
            int start = Math.Clamp(from ?? 0, 0, lines.Count);
            // The lines are metrics.jsonl's own JSON objects, passed through as they are.
            var body = new StringBuilder("{\"next\":").Append(lines.Count).Append(",\"finished\":")
                .Append(File.Exists(Path.Combine(folder, RunSummary.FileName)) ? "true" : "false").Append(",\"steps\":[")
                .AppendJoin(',', lines.Skip(start)).Append("]}");
            return Results.Text(body.ToString(), "application/json");
        });

        app.MapGet("/api/runs/{id}/pictures/{name}", (string id, string name) =>
        {
            if (!Pictures.Contains(name)) throw new BadRequestException(404, $"no picture \"{name}\"; runs have {string.Join(", ", Pictures)}");
            string path = Path.Combine(Folder(runsFolder, id), name);
            if (!File.Exists(path)) throw new BadRequestException(404, $"run {id} has no {name} (yet)");
            return Results.File(File.ReadAllBytes(path), "image/png");
        });

        app.MapGet("/api/runs/{id}/confusion", (string id) =>
        {
            var entry = models.Find(id);
            var predicted = predictions.For(entry);
            var labels = predictions.TestOf(entry).Labels;
            var matrix = new int[10][];
            for (int t = 0; t < 10; t++) matrix[t] = new int[10];
            var examples = Enumerable.Range(0, 100).Select(_ => new List<int>()).ToArray();
            for (int i = 0; i < predicted.Length; i++)
            {
                matrix[labels[i]][predicted[i]]++;
                examples[labels[i] * 10 + predicted[i]].Add(i);
            }
            return Results.Json(new { matrix, examples }, Json.Web);
        });

        app.MapGet("/api/test-images", (string indices, string? model) =>
        {
            var test = predictions.TestOf(models.Find(model));
            var wanted = indices.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s =>
                int.TryParse(s, out int i) && i >= 0 && i < test.NumExamples ? i
                : throw new BadRequestException(400, $"test image index \"{s}\" is not in 0..{test.NumExamples - 1}")).ToArray();
            if (wanted.Length > 500) throw new BadRequestException(400, $"{wanted.Length} images asked for; at most 500 at a time");
            return Results.Json(wanted.Select(i =>
            {
                var pixels = new float[MnistLayout.ImagePixels];
                test.GatherImages(i, 1, pixels);
                return new { index = i, label = (int)test.Labels[i], pixels };
            }).ToArray(), Json.Web);
        });
    }

    /// <summary>Run folders: those holding a metrics log or a model, newest first.</summary>
    public static IEnumerable<string> Folders(string? runsFolder) =>
        runsFolder is null || !Directory.Exists(runsFolder) ? []
        : Directory.EnumerateDirectories(runsFolder)
            .Where(f => File.Exists(Path.Combine(f, MetricsLog.FileName)) || File.Exists(Path.Combine(f, RunArtifacts.ModelFileName)))
            .OrderByDescending(Directory.GetLastWriteTimeUtc);

    /// <summary>The run folder named <paramref name="id"/>, looked up among the listed ones (never a path from the request).</summary>
    private static string Folder(string? runsFolder, string id) =>
        Folders(runsFolder).FirstOrDefault(f => Path.GetFileName(f) == id) ?? throw new BadRequestException(404, $"no run \"{id}\"");

    private static object Describe(string folder)
    {
        var summary = RunSummary.TryRead(folder);
        return new
        {
            id = Path.GetFileName(folder),
            finished = summary is not null,
            summary,
            pictures = Pictures.Where(p => File.Exists(Path.Combine(folder, p))).ToArray(),
        };
    }

    /// <summary>The file's lines that end in a newline (the last may be half written); none when there is no file yet.</summary>
    private static List<string> CompleteLines(string path)
    {
        string text;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            text = new StreamReader(stream).ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        int end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n').Where(l => l.Length > 0).ToList();
    }
}
