using System.Text.Json;
using System.Text.RegularExpressions;
using Mnist.Tests.Reports;

namespace Mnist.Tests.Cli;

/// <summary>`mnist train --out DIR` leaves a complete run folder behind.</summary>
public sealed class RunFolderCliTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Fact]
    public void TrainPrintsTheRunFolderBeforeTheResultLines()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.Stderr);
        var lines = run.Result.Stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int folderLine = lines.IndexOf($"run folder: {run.Folder}");
        Assert.True(folderLine >= 0, run.Result.Stdout);
        Assert.StartsWith("test accuracy: 0.", lines[^1]);
        Assert.True(folderLine < lines.Count - 1);
    }

    [Fact]
    public void RunFolderHoldsModelMetricsPicturesAndReport()
    {
        string[] expected = ["model.safetensors", "metrics.jsonl", "loss.png", "accuracy.png", "confusion_matrix.png",
            "predictions.png", "mistakes.png", "weights.png", "projector.png", "report.html", "run.json"];
        foreach (var file in expected) Assert.True(File.Exists(Path.Combine(run.Folder, file)), $"{file} missing");
        // Softmax's learning rate is constant: the report says so instead of plotting a flat line.
        Assert.False(File.Exists(Path.Combine(run.Folder, "learning_rate.png")));
        foreach (var png in Directory.GetFiles(run.Folder, "*.png"))
        {
            using var picture = new Png(png);
            Assert.True(picture.DistinctColors() >= 3, $"{png} is blank");
        }
    }

    [Fact]
    public void RunJsonHoldsTheModelSettingsAndTheTestAccuracyPrinted()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Folder, "run.json")));
        Assert.Equal("softmax", json.RootElement.GetProperty("model").GetString());
        Assert.Equal("200", json.RootElement.GetProperty("settings").GetProperty("steps").GetString());
        Assert.Equal(200, json.RootElement.GetProperty("steps").GetInt32());
        string printed = run.Result.Stdout.Split('\n').Single(l => l.StartsWith("test accuracy: ")).Trim()["test accuracy: ".Length..];
        Assert.Equal(printed, json.RootElement.GetProperty("test_accuracy").GetDouble().ToString("F4"));
    }

    [Fact]
    public void MetricsLogAtLeastFiftyStepsAndTheLastWithValidationAtElevenOfThem()
    {
        // 200 steps: the recipe's interval (100) would give 2 points; shortened to 2 steps, 0..198 and the last, 199.
        var lines = File.ReadAllLines(Path.Combine(run.Folder, "metrics.jsonl"));
        var steps = new List<int>();
        var validated = new List<int>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var m = json.RootElement;
            int step = m.GetProperty("step").GetInt32();
            steps.Add(step);
            Assert.True(m.GetProperty("loss").GetDouble() > 0);
            Assert.InRange(m.GetProperty("batch_accuracy").GetDouble(), 0, 1);
            var validation = m.GetProperty("validation_accuracy");
            if (validation.ValueKind != JsonValueKind.Null)
            {
                Assert.InRange(validation.GetDouble(), 0, 1);
                validated.Add(step);
            }
            Assert.Equal(0.5, m.GetProperty("learning_rate").GetDouble());
            Assert.True(m.GetProperty("elapsed").GetDouble() >= 0);
        }
        Assert.Equal([.. Enumerable.Range(0, 100).Select(i => 2 * i), 199], steps);
        Assert.Equal([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 199], validated);
    }

    [Fact]
    public void MetricsValuesAreWrittenAtFloat32Precision()
    {
        // float32 values printed as doubles grow tails like 0.07000000029802322; each number must be the
        // shortest text of a float32, at most 9 significant digits.
        string text = File.ReadAllText(Path.Combine(run.Folder, "metrics.jsonl"));
        var numbers = Regex.Matches(text, @"-?\d+\.\d+(?:[eE][-+]?\d+)?").Select(m => m.Value).ToList();
        Assert.NotEmpty(numbers);
        foreach (var number in numbers)
        {
            float value = float.Parse(number, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), number);
        }
    }

    [Fact]
    public void AccuracyCurveDrawsValidationBesideTheBatch()
    {
        // The validation line is the second series, drawn in the palette's orange (#FF7F0E).
        using var png = new Png(Path.Combine(run.Folder, "accuracy.png"));
        Assert.True(png.Count(png.All, c => c.Red > 230 && c.Green is > 100 and < 150 && c.Blue < 40) > 200, "no validation line");
    }

    [Fact]
    public void ReportIsOneSelfContainedFileInReadingOrder()
    {
        string html = File.ReadAllText(Path.Combine(run.Folder, "report.html"));
        var sources = Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        // Curves (loss, accuracy), confusion matrix, mistakes, predictions, weights, projector: all embedded.
        Assert.Equal(7, sources.Count);
        foreach (var src in sources)
        {
            Assert.StartsWith("data:image/png;base64,", src);
            var bytes = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
            using var bitmap = SkiaSharp.SKBitmap.Decode(bytes);
            Assert.NotNull(bitmap);
        }
        var headings = Regex.Matches(html, "<h2>([^<]+)</h2>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["Results", "Training curves", "Confusion matrix", "Accuracy per class", "Mistakes", "Weights", "Projector", "Settings"], headings);
        Assert.Contains("The learning rate was constant at 0.5 for all 200 steps", html);
        Assert.Contains("on the right from the model (softmax has no hidden layer: its 10 logits)", html);
        // The per-class table: a header and ten rows, each class's test images summing to the test set.
        var rows = Regex.Matches(html, "<tr><th>(\\d)</th><td class=\"number\">(\\d+)</td>").ToList();
        Assert.Equal(10, rows.Count);
        Assert.Equal(10000, rows.Sum(r => int.Parse(r.Groups[2].Value)));
        Assert.Contains("test accuracy", html);
        Assert.Contains("images/s", html);
        // Captions are words, not file names.
        Assert.DoesNotMatch("<figcaption>[^<]*\\.png", html);
    }

    [Fact]
    public void MistakesPictureShowsEveryMistakeUpToTheCapAndTheReportLinksAndCaptionsIt()
    {
        string html = File.ReadAllText(Path.Combine(run.Folder, "report.html"));
        int right = Regex.Matches(html, "<tr><th>\\d</th><td class=\"number\">\\d+</td><td class=\"number\">(\\d+)</td>")
            .Sum(m => int.Parse(m.Groups[1].Value));
        int wrong = 10000 - right;
        // 200 softmax steps leave ~800 mistakes: more than the cap, which the caption says.
        Assert.True(wrong > Mnist.Training.RunArtifacts.MistakeCap, $"{wrong} mistakes");
        Assert.Contains($"The first {Mnist.Training.RunArtifacts.MistakeCap} of the {wrong} test images the model got wrong, in file order (capped", html);
        var mistakes = Regex.Match(html, "<figure><img src=\"([^\"]+)\"[^>]*><figcaption>The first").Groups[1].Value;
        Assert.StartsWith("data:image/png;base64,", mistakes);
        // The embedded picture is the run folder's mistakes.png, with all 300 tiles: 20 rows of 15, every one framed in red.
        var bytes = File.ReadAllBytes(Path.Combine(run.Folder, "mistakes.png"));
        Assert.Equal(Convert.ToBase64String(bytes), mistakes["data:image/png;base64,".Length..]);
        using var png = new Png(Path.Combine(run.Folder, "mistakes.png"));
        Assert.True(png.Height >= Mnist.Training.RunArtifacts.MistakeRows * 28 * 2 && png.Width >= 15 * 28 * 2, $"{png.Width}×{png.Height}");
        using var all = new Png(Path.Combine(run.Folder, "predictions.png"));
        Assert.True(png.Count(png.All, Png.IsRed) > 2 * all.Count(all.All, Png.IsRed), "mistakes.png has fewer red frames than the random pick");
    }
}
