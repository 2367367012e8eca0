using System.Globalization;
using System.Text.Json;

namespace Mnist.Tests.Cli;

/// <summary>The first tutorial end to end through the real CLI, on the real MNIST (fetched on first use).</summary>
public class TrainCliTests
{
    [Fact]
    public void SoftmaxTutorialReachesAbout92PercentAndWritesMetrics()
    {
        using var dir = new Data.TempDirectory();
        var metrics = Path.Combine(dir.Path, "m.json");
        var r = CliRunner.Run("train", "--model", "softmax", "--metrics", metrics, "--out", dir.File("run"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var last = r.Stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("test accuracy: 0.9", last);
        double accuracy = double.Parse(last["test accuracy: ".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.915, 0.930); // the default seed; SoftmaxSeedTests checks the spread of others
        Assert.Contains("step 900, loss", r.Stdout);

        using var json = JsonDocument.Parse(File.ReadAllText(metrics));
        var root = json.RootElement;
        Assert.Equal("softmax", root.GetProperty("model").GetString());
        Assert.Equal("mnist", root.GetProperty("dataset").GetString());
        Assert.False(root.GetProperty("augment").GetBoolean());
        Assert.Equal(1000, root.GetProperty("steps").GetInt32());
        Assert.Equal(100, root.GetProperty("batch_size").GetInt32());
        Assert.Equal(1, root.GetProperty("seed").GetInt32());
        Assert.Equal(accuracy, root.GetProperty("test_accuracy").GetDouble(), 4);
        Assert.InRange(root.GetProperty("validation_accuracy").GetDouble(), 0.9, 0.94);
        Assert.True(root.GetProperty("train_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("images_per_second").GetDouble() > 0);
    }

    [Fact]
    public void DataCommandReportsVerifiedFiles()
    {
        var r = CliRunner.Run("data");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("data folder:", r.Stdout);
        Assert.Equal(4, r.Stdout.Split('\n').Count(l => l.Contains("sha256 ok")));
    }

    [Fact]
    public void BenchTimesTheSoftmaxLoop()
    {
        var r = CliRunner.Run("bench", "--model", "softmax", "--steps", "50");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("images/s", r.Stdout);
        Assert.Matches(@"softmax\s+100\s+50\s", r.Stdout);
    }

    [Fact]
    public void BenchLatencyReportsPercentilesOfSingleImageCalls()
    {
        var r = CliRunner.Run("bench", "--latency", "--model", "mlp", "--calls", "50");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("single-image inference (batch 1)", r.Stdout);
        var row = System.Text.RegularExpressions.Regex.Match(r.Stdout, @"mlp\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)");
        Assert.True(row.Success, r.Stdout);
        double p50 = double.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double p99 = double.Parse(row.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        double max = double.Parse(row.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(p50 > 0 && p50 <= p99 && p99 <= max, r.Stdout);
    }

    [Fact]
    public void BenchConvsTimesEveryConvolutionOfTheModel()
    {
        // The deep model's two convolutions at batch 2: one row each, with three positive GFLOP/s figures.
        var r = CliRunner.Run("bench", "--convs", "--model", "deep", "--batch-size", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = System.Text.RegularExpressions.Regex.Matches(r.Stdout, @"deep\s+(conv\d)/W\s+\[2, \d+, \d+, \d+\].*?\s([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+[\d.]+%");
        Assert.Equal(["conv1", "conv2"], rows.Select(m => m.Groups[1].Value));
        Assert.All(rows, m => Assert.All(new[] { 2, 3, 4 }, i => Assert.True(double.Parse(m.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, r.Stdout)));
    }
}
