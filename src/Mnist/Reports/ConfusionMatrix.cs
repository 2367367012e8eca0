using Mnist.Data;
using ScottPlot;

namespace Mnist.Reports;

/// <summary>The 10×10 table of (true class, predicted class) counts, as a heatmap with the counts written in.</summary>
public static class ConfusionMatrix
{
    /// <summary>counts[t, p] = how many examples of true class t were predicted as p.</summary>
    public static int[,] Count(ReadOnlySpan<byte> labels, ReadOnlySpan<int> predictions)
    {
        const int classes = MnistLayout.NumClasses;
        if (labels.Length != predictions.Length)
            throw new ArgumentException($"{labels.Length} labels but {predictions.Length} predictions", nameof(predictions));
        var counts = new int[classes, classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)predictions[i] >= classes) throw new ArgumentException($"prediction {i} is {predictions[i]}, expected 0..9", nameof(predictions));
            counts[labels[i], predictions[i]]++;
        }
        return counts;
    }

    /// <summary>Each true class's share of correct predictions, counts[c, c] / Σ counts[c, ·]; NaN for a class with no examples.</summary>
    public static double[] PerClassAccuracy(int[,] counts)
    {
        int classes = counts.GetLength(0);
        var accuracy = new double[classes];
        for (int t = 0; t < classes; t++)
        {
            int seen = 0;
            for (int p = 0; p < counts.GetLength(1); p++) seen += counts[t, p];
            accuracy[t] = seen == 0 ? double.NaN : (double)counts[t, t] / seen;
        }
        return accuracy;
    }

    /// <param name="classNames">The classes' names for the axes (default "0".."9").</param>
    public static PictureSize Write(string path, int[,] counts, string title = "confusion matrix", IReadOnlyList<string>? classNames = null,
        int width = 720, int height = 600)
    {
        int classes = counts.GetLength(0);
        if (counts.GetLength(1) != classes) throw new ArgumentException("the confusion matrix must be square", nameof(counts));

        // Colour by log(1 + count): the diagonal holds ~1000 per class and the mistakes a handful,
        // so a linear scale would leave every mistake white.
        var shade = new double[classes, classes];
        int max = 0;
        for (int t = 0; t < classes; t++)
            for (int p = 0; p < classes; p++)
            {
                shade[t, p] = Math.Log(1 + counts[t, p]);
                max = Math.Max(max, counts[t, p]);
            }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(shade);
        // ScottPlot's Blues runs from dark to white; reversed, an empty cell is white and a full one dark blue.
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        // ScottPlot draws row 0 on top: cell (t, p) is the unit square centred on x = p, y = top - t.
        int top = classes - 1;
        heatmap.Rectangle = new CoordinateRect(-0.5, classes - 0.5, -0.5, classes - 0.5);
        for (int t = 0; t < classes; t++)
            for (int p = 0; p < classes; p++)
            {
                var text = plot.Add.Text(counts[t, p].ToString(), p, top - t);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 12;
                // Dark cells get white digits so every count stays readable.
                text.LabelFontColor = shade[t, p] > 0.6 * Math.Log(1 + max) ? Colors.White : Colors.Black;
            }

        // The colour bar is labelled in counts at round values, placed where log(1 + count) puts them.
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "examples (log scale)";
        var keyCounts = new[] { 0, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000 }.Where(c => c <= Math.Max(1, max)).ToArray();
        bar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            keyCounts.Select(c => Math.Log(1 + c)).ToArray(), keyCounts.Select(c => c.ToString()).ToArray());

        double[] ticks = Enumerable.Range(0, classes).Select(c => (double)c).ToArray();
        string[] names = classNames?.ToArray() ?? ticks.Select(c => c.ToString()).ToArray();
        if (names.Length != classes) throw new ArgumentException($"{names.Length} class names for {classes} classes", nameof(classNames));
        plot.Axes.Bottom.SetTicks(ticks, names);
        if (names.Any(n => n.Length > 3))
        {
            // Words side by side would run into each other ("T-shirt/topTrouser"): slant them.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
            plot.Axes.Bottom.MinimumSize = 90;
        }
        plot.Axes.Left.SetTicks(ticks.Select(t => top - t).ToArray(), names);
        plot.Axes.SetLimits(-0.5, classes - 0.5, -0.5, classes - 0.5);
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        return PngFile.Write(path, plot, new PictureSize(width, height));
    }
}
