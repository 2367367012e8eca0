using Flow;
using Mnist.Models;
using Mnist.Reports;
using Mnist.Tests.Reports;

namespace Mnist.Tests.Cli;

/// <summary>Every `mnist show` picture through the real CLI, from the data and from a short softmax run's model file.</summary>
public sealed class ShowCliTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    /// <summary>Runs `mnist show ARGS --out FILE`, checks it succeeded and printed the path, and opens the picture.</summary>
    private Png Show(string file, params string[] args)
    {
        string path = run.Picture(file);
        var r = CliRunner.Run(["show", .. args, "--out", path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"wrote {path}", r.Stdout);
        var png = new Png(path);
        Assert.True(png.DistinctColors() >= 3, $"{file} is blank");
        return png;
    }

    [Fact]
    public void SamplesGridHasTheAskedNumberOfTiles()
    {
        using var thirty = Show("samples30.png", "samples", "--count", "30");
        using var fifteen = Show("samples15.png", "samples", "--count", "15", "--seed", "3");
        // 15 columns either way: 30 digits take two rows of the height of one.
        Assert.Equal(thirty.Width, fifteen.Width);
        Assert.Equal(2 * fifteen.Height, thirty.Height);
    }

    [Fact]
    public void DigitPrintsItsValuesAndOneHotLabel()
    {
        string path = run.Picture("digit.png");
        var r = CliRunner.Run("show", "digit", "0", "--test", "--out", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        // The first test image is a 7 (t10k-labels-idx1-ubyte starts 7, 2, 1, 0).
        Assert.Contains("label: 7  one-hot: [0,0,0,0,0,0,0,1,0,0]", r.Stdout);
        Assert.Equal(28, r.Stdout.Split('\n').Count(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 28));
        using var png = new Png(path);
        Assert.True(png.Width >= 280 && png.Height >= 280, $"{png.Width}×{png.Height}");
        Assert.True(png.DistinctColors() >= 3);
    }

    [Fact]
    public void WeightsShowsTenMaps()
    {
        using var png = Show("weights.png", "weights", "--model", run.ModelFile);
        // Ten 28×28 maps at scale 7 in two rows of five, over a colour key; blue and red both present.
        Assert.True(png.Width >= 5 * 28 * 7 && png.Height >= 2 * 28 * 7 && png.Height < png.Width, $"{png.Width}×{png.Height}");
        Assert.True(png.Count(png.All, Png.IsBluish) > 0 && png.Count(png.All, Png.IsReddish) > 0);
    }

    [Fact]
    public void PredictionsGridFollowsRowsAndColumnsAndWrongShowsOnlyMistakes()
    {
        using var all = Show("predictions.png", "predictions", "--model", run.ModelFile, "--rows", "2", "--columns", "5");
        using var wrong = Show("wrong.png", "predictions", "--model", run.ModelFile, "--rows", "2", "--columns", "5", "--wrong");
        Assert.True(all.Width > all.Height, $"{all.Width}×{all.Height}");
        // Every tile of the mistakes-only grid is framed in red; a random pick of a ~90% model has few.
        Assert.True(wrong.Count(wrong.All, Png.IsRed) > all.Count(all.All, Png.IsRed));
    }

    [Fact]
    public void ProbabilitiesDrawsTheBarsOfOneTestImage()
    {
        string path = run.Picture("probabilities.png");
        var r = CliRunner.Run("show", "probabilities", "--model", run.ModelFile, "--index", "0", "--out", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("true 7", r.Stdout);
        // The digit (28 pixels at scale 9) left of the 640×400 bar chart, its black ink in that panel only.
        using var png = new Png(path);
        Assert.Equal(400, png.Height);
        Assert.True(png.Width > 640 + 28 * 9, $"{png.Width}×{png.Height}");
        var digitPanel = new TileRect(0, 0, png.Width - 640, png.Height);
        Assert.True(png.Count(digitPanel, c => c.Red < 100 && c.Green < 100 && c.Blue < 100) > 40 * 9 * 9, "no digit beside the bars");
    }

    [Fact]
    public void ProjectorDrawsTwoMapsSideBySide()
    {
        string path = run.Picture("projector.png");
        var r = CliRunner.Run("show", "projector", "--model", run.ModelFile, "--count", "200", "--out", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var png = Png.Check(path, new PictureSize(1600, 700), minColors: 10);
        // Softmax regression has no hidden layer: the right map is of its logits, not the pixels again, and says so.
        Assert.Contains("right: softmax has no hidden layer: its 10 logits", r.Stdout);
    }

    [Fact]
    public void MissingModelFileIsOneLine() =>
        CliRunner.AssertCleanError(CliRunner.Run("show", "weights", "--model", run.Picture("none.safetensors"), "--out", run.Picture("x.png")),
            "none.safetensors");

    [Fact]
    public void CorruptModelFileIsOneLine()
    {
        string path = run.Picture("corrupt.safetensors");
        File.WriteAllBytes(path, File.ReadAllBytes(run.ModelFile)[..200]);
        CliRunner.AssertCleanError(CliRunner.Run("show", "predictions", "--model", path, "--out", run.Picture("x.png")), "corrupt.safetensors");
    }

    [Fact]
    public void IndexOutOfRangeIsOneLine() =>
        CliRunner.AssertCleanError(CliRunner.Run("show", "probabilities", "--model", run.ModelFile, "--index", "10000", "--out", run.Picture("x.png")),
            "index 10000 is out of range: the test set has 10000 images");

    [Fact]
    public void WeightsOfANonSoftmaxModelIsOneLine()
    {
        // An untrained mlp is a valid mlp model file; it just has no pixel-to-class weights.
        var mlp = new DeeperMlp();
        var graph = mlp.Build(mlp.DefaultSettings);
        var session = new Session(graph.Graph);
        session.Run(graph.Graph.GlobalVariablesInitializer());
        string path = run.Picture("mlp.safetensors");
        using (var trained = new TrainedModel(mlp, mlp.DefaultSettings, graph, session)) trained.Save(path);
        CliRunner.AssertCleanError(CliRunner.Run("show", "weights", "--model", path, "--out", run.Picture("x.png")), "weight maps need a softmax model");
    }
}
