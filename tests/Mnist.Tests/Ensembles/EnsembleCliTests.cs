using System.Globalization;
using System.Text.Json;
using Mnist.Predict;
using Mnist.Tests.Predict;

namespace Mnist.Tests.Ensembles;

/// <summary>`mnist eval` and `mnist predict` with --model repeated, through the real CLI.</summary>
public sealed class EnsembleCliTests(TrainedEnsemble models) : IClassFixture<TrainedEnsemble>
{
    [Fact]
    public void EvalPrintsEachModelAndTheEnsembleInATable()
    {
        // Two softmax models: the whole validation and test sets in seconds (EnsembleTests checks LeNet's scaling on fewer).
        var r = Cli.CliRunner.Run("eval", "--model", models.Files[0], "--model", models.Files[1]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("model: ensemble of 2 (softmax, softmax), the mean of their probabilities", r.Stdout);

        using var ensemble = Ensemble.Load(models.Files[..2]);
        var e = EnsembleEvaluation.Run(ensemble, models.Data);
        var lines = r.Stdout.Split('\n');
        // One table row per model (its file, its accuracies) and one for the ensemble.
        foreach (var (m, file) in e.Members.Zip(models.Files[..2]))
            Assert.Single(lines, l => l.Contains(m.Model) && l.Contains(Path.GetFileName(file)) && l.Contains(F4(m.ValidationAccuracy)) && l.Contains(F4(m.TestAccuracy)));
        Assert.Single(lines, l => l.Contains("ensemble") && l.Contains("mean of the above") && l.Contains(F4(e.Ensemble.TestAccuracy)));
        Assert.Contains($"test accuracy: {F4(e.Ensemble.TestAccuracy)}", r.Stdout);
        Assert.Contains($"validation accuracy: {F4(e.Ensemble.ValidationAccuracy)}", r.Stdout);
        Assert.Matches(@"per class: 0:[01]\.\d{3}( +\d:[01]\.\d{3}){9}", r.Stdout);
    }

    [Fact]
    public void EvalOfModelsOfDifferentDataSetsIsOneErrorNamingTheFiles()
    {
        string fashion = EnsembleTests.FashionCopy(models, models.Files[0]);
        var r = Cli.CliRunner.Run("eval", "--model", models.Files[2], "--model", fashion);
        Cli.CliRunner.AssertCleanError(r, $"error: model files {models.Files[2]} and {fashion} were trained on different data sets (mnist and fashion)");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void EvalOfAMissingSecondModelNamesIt()
    {
        string absent = models.File("absent.safetensors");
        Cli.CliRunner.AssertCleanError(Cli.CliRunner.Run("eval", "--model", models.Files[0], "--model", absent), absent);
    }

    [Fact]
    public void PredictUsesTheAveragedProbabilities()
    {
        string digit = models.File("seven.png");   // test digit 0 is a 7
        using (var bitmap = DigitRenderings.All.Single(d => d.Name == "inverted").Draw(models.Data.Test.Images.AsSpan(0, 784).ToArray()))
            DigitRenderings.Save(bitmap, digit);
        var r = Cli.CliRunner.Run("predict", "--model", models.Files[0], "--model", models.Files[2], digit, "--json", "--top", "10");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout.Trim());
        var top = json.RootElement.GetProperty("top").EnumerateArray()
            .ToDictionary(t => t.GetProperty("digit").GetInt32(), t => t.GetProperty("probability").GetSingle());
        Assert.Equal(7, json.RootElement.GetProperty("digit").GetInt32());

        // Each model alone on the same picture; the ensemble's probabilities are their mean.
        var alone = new[] { models.Files[0], models.Files[2] }.Select(f =>
        {
            var a = Cli.CliRunner.Run("predict", "--model", f, digit, "--json", "--top", "10");
            using var j = JsonDocument.Parse(a.Stdout.Trim());
            return j.RootElement.GetProperty("top").EnumerateArray()
                .ToDictionary(t => t.GetProperty("digit").GetInt32(), t => t.GetProperty("probability").GetSingle());
        }).ToArray();
        for (int d = 0; d < 10; d++) Assert.Equal((alone[0][d] + alone[1][d]) / 2, top[d], 1e-6f);
        Assert.NotEqual(alone[0][7], alone[1][7]);
    }

    private static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
