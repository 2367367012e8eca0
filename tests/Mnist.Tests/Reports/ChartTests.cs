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
    public void TrueClassIsMarkedEvenWhenItsProbabilityIsNearZero()
    {
        var probabilities = Enumerable.Repeat(0.0001f, 10).ToArray();
        probabilities[6] = 0.999f;
        string path = _dir.File("tiny.png");

        var size = ProbabilityBars.Write(path, probabilities, trueClass: 5);

        // The green "true" label stands above class 5's (invisible) bar: green pixels in that column band.
        using var png = Png.Check(path, size, minColors: 10);
        int centre = (int)(size.Width * (0.08 + 0.9 * 5.5 / 10));
        var band = new TileRect(centre - 40, 0, 80, size.Height);
        Assert.True(png.Count(band, c => c.Green > 120 && c.Red < 100 && c.Blue < 100) > 20, "the true class is not marked");
    }

    [Fact]
    public void DigitIsDrawnLeftOfTheBars()
    {
        var probabilities = Enumerable.Repeat(0.1f, 10).ToArray();
        var image = DigitPictureTests.One();

        var size = ProbabilityBars.Write(_dir.File("digit bars.png"), probabilities, 1, image, width: 500, height: 300);

        using var png = Png.Check(_dir.File("digit bars.png"), size, minColors: 10);
        Assert.Equal(300, size.Height);
        Assert.True(size.Width > 500 + 28 * 9);
        var left = new TileRect(0, 0, size.Width - 500, size.Height);
        Assert.True(png.Count(left, c => c.Red < 10 && c.Green < 10) > 20 * 9 * 9, "no digit ink left of the bars");
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
        // The colour bar: a dark-blue strip right of the matrix, in the picture's last eighth.
        var right = new TileRect(size.Width * 7 / 8, 0, size.Width / 8, size.Height);
        Assert.True(png.Count(right, c => c.Blue > 80 && c.Red < 40 && c.Green < 60) > 200, "no colour bar");
        Assert.Equal([0.5, 1.0, 2.0 / 3, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN],
            ConfusionMatrix.PerClassAccuracy(counts));
    }

    [Fact]
    public void ConstantLearningRateIsStatedNotPlotted()
    {
        var curves = new TrainingCurves([0, 1, 2], [2, 1, 0.5], [0.1, 0.5, 0.8], [0.5, 0.5, 0.5], [], []);
        Assert.Equal(0.5, curves.ConstantLearningRate);
        Curves.WriteTraining(_dir.Path, curves);
        Assert.False(File.Exists(_dir.File(Curves.LearningRateFile)));

        var decaying = curves with { LearningRate = [0.01, 0.01, 0.0095] };
        Assert.Null(decaying.ConstantLearningRate);
        Assert.Contains(_dir.File(Curves.LearningRateFile), Curves.WriteTraining(_dir.Path, decaying));
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
