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

    /// <param name="classNames">Tick labels, one per class (default the class indices, MNIST's digits).</param>
    public static PictureSize Write(string path, int[,] counts, string title = "confusion matrix", int width = 640, int height = 600,
        IReadOnlyList<string>? classNames = null)
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

        double[] ticks = Enumerable.Range(0, classes).Select(c => (double)c).ToArray();
        string[] names = classNames is null ? ticks.Select(c => c.ToString()).ToArray() : [.. classNames];
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
