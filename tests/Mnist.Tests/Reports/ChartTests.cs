using Mnist.Reports;
using Mnist.Tests.Data;

namespace Mnist.Tests.Reports;

public sealed class ChartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(7, 7)]
    [InlineData(2, 5)]
    public void TallestProbabilityBarSitsAtThePredictedClass(int predicted, int trueClass)
    {
        var probabilities = Enumerable.Repeat(0.02f, 10).ToArray();
        probabilities[predicted] = 0.8f;
        if (trueClass != predicted) probabilities[trueClass] = 0.05f;
        string path = _dir.File("bars.png");

        var size = ProbabilityBars.Write(path, probabilities, trueClass);

        using var png = Png.Check(path, size, minColors: 10);
        // Green marks the true class; a wrong prediction is red. The tall bar is the columns where
        // that colour runs for more than a third of the picture's height.
        bool correct = predicted == trueClass;
        Func<SkiaSharp.SKColor, bool> barColor = correct
            ? c => c.Green > 140 && c.Red < 80 && c.Blue < 80
            : Png.IsRed;
        var tallColumns = Enumerable.Range(0, png.Width)
            .Where(x => png.Count(new TileRect(x, 0, 1, png.Height), barColor) > png.Height / 3)
            .ToList();
        Assert.NotEmpty(tallColumns);
        // The plot area spans roughly 10%..98% of the width; class c is centred at (c + 0.5) / 10 of it.
        double at = tallColumns.Average() / png.Width;
        double expected = 0.08 + 0.9 * (predicted + 0.5) / 10;
        Assert.InRange(at, expected - 0.06, expected + 0.06);
    }

    [Fact]
    public void TrainingCurvesWriteOnePictureEachAndSkipEmptyOnes()
    {
        double[] steps = [0, 100, 200, 300];
        var curves = new TrainingCurves(steps, [2.3, 0.9, 0.5, 0.4], [0.1, 0.7, 0.85, 0.9], [], [0, 300], [0.1, 0.88]);

        var written = Curves.WriteTraining(_dir.Path, curves);

        Assert.Equal([_dir.File(Curves.LossFile), _dir.File(Curves.AccuracyFile)], written);
        foreach (var path in written)
        {
            using var png = Png.Check(path, new PictureSize(800, 450), minColors: 10);
        }
        Assert.False(File.Exists(_dir.File(Curves.LearningRateFile)));
    }

    [Fact]
    public void MismatchedSeriesAreRejected() =>
        Assert.Throws<ArgumentException>(() => Curves.Write(_dir.File("x.png"), "t", "x", "y", [new Series("s", [1, 2], [1])]));

    [Fact]
    public void ConfusionMatrixCountsPairsAndDrawsAHeatmap()
    {
        byte[] labels = [0, 0, 1, 2, 2, 2];
        int[] predictions = [0, 1, 1, 2, 2, 0];
        var counts = ConfusionMatrix.Count(labels, predictions);
        Assert.Equal(1, counts[0, 0]);
        Assert.Equal(1, counts[0, 1]);
        Assert.Equal(1, counts[1, 1]);
        Assert.Equal(2, counts[2, 2]);
        Assert.Equal(1, counts[2, 0]);
        Assert.Equal(6, counts.Cast<int>().Sum());

        string path = _dir.File("confusion.png");
        var size = ConfusionMatrix.Write(path, counts);
        using var png = Png.Check(path, size, minColors: 10);
        Assert.True(png.Count(png.All, Png.IsBluish) > 1000, "the filled cells are blue");
    }

    [Fact]
    public void ProjectorMapDrawsEveryLabelInItsOwnColour()
    {
        var points = new float[2 * 100];
        var labels = new byte[100];
        for (int i = 0; i < 100; i++)
        {
            labels[i] = (byte)(i % 10);
            (points[2 * i], points[2 * i + 1]) = (labels[i] * 3 + i % 7 * 0.1f, i / 10);
        }
        string path = _dir.File("map.png");

        var size = ProjectorMap.Write(path, points, labels);

        using var png = Png.Check(path, size, minColors: 20);
    }
}
