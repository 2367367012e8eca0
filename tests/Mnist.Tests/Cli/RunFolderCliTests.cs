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
        string[] expected = ["model.safetensors", "metrics.jsonl", "loss.png", "accuracy.png", "learning_rate.png",
            "confusion_matrix.png", "predictions.png", "weights.png", "report.html", "run.json"];
        foreach (var file in expected) Assert.True(File.Exists(Path.Combine(run.Folder, file)), $"{file} missing");
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
    public void MetricsHoldOneObjectPerLoggedStep()
    {
        var lines = File.ReadAllLines(Path.Combine(run.Folder, "metrics.jsonl"));
        Assert.Equal(2, lines.Length);   // steps 0 and 100 of 200, logging every 100
        for (int i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var m = json.RootElement;
            Assert.Equal(100 * i, m.GetProperty("step").GetInt32());
            Assert.True(m.GetProperty("loss").GetDouble() > 0);
            Assert.InRange(m.GetProperty("batch_accuracy").GetDouble(), 0, 1);
            Assert.Equal(JsonValueKind.Null, m.GetProperty("validation_accuracy").ValueKind);
            Assert.Equal(0.5, m.GetProperty("learning_rate").GetDouble());
            Assert.True(m.GetProperty("elapsed").GetDouble() >= 0);
        }
    }

    [Fact]
    public void ReportLinksOnlyPicturesThatExistAndShowsTheResults()
    {
        string html = File.ReadAllText(Path.Combine(run.Folder, "report.html"));
        var sources = Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("confusion_matrix.png", sources);
        Assert.Contains("weights.png", sources);
        foreach (var src in sources) Assert.True(File.Exists(Path.Combine(run.Folder, Uri.UnescapeDataString(src))), $"{src} missing");
        Assert.Contains("test accuracy", html);
        Assert.Contains("images/s", html);
        Assert.Contains("learning_rate", html);
    }
}
