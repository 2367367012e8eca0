using ScottPlot;

namespace Mnist.Reports;

/// <summary>One line of a curve plot: y against x, named in the legend.</summary>
public sealed record Series(string Label, double[] X, double[] Y);

/// <summary>
/// What the training loop logged, as plain arrays: loss, batch accuracy and learning rate at
/// <see cref="Steps"/>, validation accuracy at <see cref="ValidationSteps"/>. A metric left empty is not plotted.
/// </summary>
/// <param name="ValidationLabel">The validation line's name in the legend (e.g. how many images it measured).</param>
public sealed record TrainingCurves(
    double[] Steps, double[] Loss, double[] BatchAccuracy, double[] LearningRate,
    double[] ValidationSteps, double[] ValidationAccuracy, string ValidationLabel = "validation")
{
    /// <summary>The learning rate when it never changed during the run (stated in words, not plotted), else null.</summary>
    public double? ConstantLearningRate => LearningRate.Length > 0 && LearningRate.All(r => r == LearningRate[0]) ? LearningRate[0] : null;
}

/// <summary>Line plots of training metrics against the step (the codelab's <c>plt.plot(cross_ent)</c>).</summary>
public static class Curves
{
    public const string LossFile = "loss.png";
    public const string AccuracyFile = "accuracy.png";
    public const string LearningRateFile = "learning_rate.png";

    /// <summary>One plot of any number of series; series with no y values are left out.</summary>
    public static PictureSize Write(string path, string title, string xLabel, string yLabel, IReadOnlyList<Series> series,
        int width = 800, int height = 450)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int drawn = 0;
        foreach (var s in series)
        {
            if (s.Y.Length == 0) continue;
            if (s.X.Length != s.Y.Length) throw new ArgumentException($"series \"{s.Label}\" has {s.X.Length} x and {s.Y.Length} y values", nameof(series));
            var line = plot.Add.Scatter(s.X, s.Y, palette.GetColor(drawn++));
            line.LegendText = s.Label;
            line.LineWidth = 2;
            // A marker per point only where the points are few enough to tell apart.
            line.MarkerSize = s.X.Length <= 50 ? 5 : 0;
        }
        // A lone series is named by the title already; ScottPlot would show a legend for any labelled one.
        if (drawn > 1) plot.ShowLegend(Alignment.LowerRight);
        else plot.HideLegend();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return PngFile.Write(path, plot, new PictureSize(width, height));
    }

    /// <summary>
    /// Writes <see cref="LossFile"/>, <see cref="AccuracyFile"/> and <see cref="LearningRateFile"/> into
    /// <paramref name="folder"/>, each only if it has points, the learning rate only if it changed (a flat
    /// line says less than "constant 0.5"); returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> WriteTraining(string folder, TrainingCurves curves)
    {
        var written = new List<string>();
        void Plot(string file, string title, string yLabel, params Series[] series)
        {
            if (series.All(s => s.Y.Length == 0)) return;
            string path = Path.Combine(folder, file);
            Write(path, title, "step", yLabel, series);
            written.Add(path);
        }
        Plot(LossFile, "training loss", "cross-entropy", new Series("batch loss", curves.Steps, curves.Loss));
        Plot(AccuracyFile, "accuracy", "accuracy",
            new Series("training batch", curves.Steps, curves.BatchAccuracy),
            new Series(curves.ValidationLabel, curves.ValidationSteps, curves.ValidationAccuracy));
        if (curves.ConstantLearningRate is null)
            Plot(LearningRateFile, "learning rate", "learning rate", new Series("learning rate", curves.Steps, curves.LearningRate));
        return written;
    }
}
