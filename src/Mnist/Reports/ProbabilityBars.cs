using Mnist.Data;
using ScottPlot;

namespace Mnist.Reports;

/// <summary>
/// The ten softmax probabilities of one example as bars (the codelab's <c>plt.bar(i, s)</c>), with
/// the true class in green and a wrong prediction in red, so a mistake is visible at once.
/// </summary>
public static class ProbabilityBars
{
    public static readonly Color TrueColor = Color.FromHex("#2CA02C");
    public static readonly Color WrongColor = Color.FromHex("#D62728");
    private static readonly Color OtherColor = Color.FromHex("#9E9E9E");

    /// <param name="classNames">What to print for each class (default MNIST's digits).</param>
    public static PictureSize Write(string path, ReadOnlySpan<float> probabilities, int trueClass, string? title = null,
        int width = 640, int height = 400, IReadOnlyList<string>? classNames = null)
    {
        var names = classNames ?? KnownDataSets.Mnist.ClassNames;
        const int classes = MnistLayout.NumClasses;
        if (probabilities.Length != classes) throw new ArgumentException($"expected {classes} probabilities, got {probabilities.Length}", nameof(probabilities));
        ArgumentOutOfRangeException.ThrowIfNegative(trueClass);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(trueClass, classes);
        int predicted = ArgMax(probabilities);

        var plot = new Plot();
        var bars = new Bar[classes];
        for (int c = 0; c < classes; c++)
        {
            var color = c == trueClass ? TrueColor : c == predicted ? WrongColor : OtherColor;
            bars[c] = new Bar { Position = c, Value = probabilities[c], FillColor = color, LineWidth = 0 };
        }
        plot.Add.Bars(bars);

        var legend = new List<LegendItem> { new() { LabelText = $"true class {names[trueClass]}", FillColor = TrueColor } };
        if (predicted != trueClass) legend.Add(new() { LabelText = $"predicted {names[predicted]}", FillColor = WrongColor });
        else legend[0].LabelText += " = predicted";
        plot.ShowLegend(legend, Alignment.UpperLeft);

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, classes).Select(c => (double)c).ToArray(),
            [.. names]);
        plot.Axes.SetLimits(-0.6, classes - 0.4, 0, 1.05);
        plot.Title(title ?? $"softmax probabilities: predicted {names[predicted]}, true {names[trueClass]}");
        plot.XLabel("class");
        plot.YLabel("probability");
        return PngFile.Write(path, plot, new PictureSize(width, height));
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
