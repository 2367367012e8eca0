using System.Globalization;
using Mnist.Data;
using ScottPlot;
using SkiaSharp;

namespace Mnist.Reports;

/// <summary>
/// The ten softmax probabilities of one example as bars (the codelab's <c>plt.bar(i, s)</c>), each with
/// its value, the true class in green and a wrong prediction in red, so a mistake is visible at once;
/// the true class is also named above its bar, so it shows even when its probability is near zero.
/// Given the example's pixels, the digit is drawn beside the bars.
/// </summary>
public static class ProbabilityBars
{
    public static readonly Color TrueColor = Color.FromHex("#2CA02C");
    public static readonly Color WrongColor = Color.FromHex("#D62728");
    private static readonly Color OtherColor = Color.FromHex("#9E9E9E");
    /// <summary>Each pixel of the digit beside the bars is this many pixels square.</summary>
    private const int DigitScale = 9;

    /// <param name="image">The example's 784 pixels, drawn left of the bars; empty for the bars alone.</param>
    /// <param name="classNames">The classes' names for the axis and legend (default "0".."9").</param>
    /// <param name="width">Width of the bar chart (the digit adds its own).</param>
    public static PictureSize Write(string path, ReadOnlySpan<float> probabilities, int trueClass, ReadOnlySpan<byte> image = default,
        IReadOnlyList<string>? classNames = null, string? title = null, int width = 640, int height = 400)
    {
        const int classes = MnistLayout.NumClasses;
        if (probabilities.Length != classes) throw new ArgumentException($"expected {classes} probabilities, got {probabilities.Length}", nameof(probabilities));
        ArgumentOutOfRangeException.ThrowIfNegative(trueClass);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(trueClass, classes);
        var names = classNames?.ToArray() ?? Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Length != classes) throw new ArgumentException($"{names.Length} class names for {classes} classes", nameof(classNames));
        int predicted = ArgMax(probabilities);

        var plot = new Plot();
        var bars = new Bar[classes];
        for (int c = 0; c < classes; c++)
        {
            var color = c == trueClass ? TrueColor : c == predicted ? WrongColor : OtherColor;
            bars[c] = new Bar { Position = c, Value = probabilities[c], FillColor = color, LineWidth = 0,
                Label = probabilities[c].ToString("0.000", CultureInfo.InvariantCulture) };
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        barPlot.ValueLabelStyle.FontName = ReportFont.Family;
        // Above the value label, so a true class the model gave ~0 is still found at a glance.
        var marker = plot.Add.Text("true", trueClass, probabilities[trueClass] + 0.07);
        marker.LabelAlignment = Alignment.LowerCenter;
        marker.LabelFontColor = TrueColor;
        marker.LabelBold = true;
        marker.LabelFontSize = 13;
        marker.LabelFontName = ReportFont.Family;

        var legend = new List<LegendItem> { new() { LabelText = $"true class {names[trueClass]}", FillColor = TrueColor } };
        if (predicted != trueClass) legend.Add(new() { LabelText = $"predicted {names[predicted]}", FillColor = WrongColor });
        else legend[0].LabelText += " = predicted";
        plot.ShowLegend(legend, Alignment.UpperLeft);

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, classes).Select(c => (double)c).ToArray(), names);
        plot.Axes.SetLimits(-0.6, classes - 0.4, 0, 1.2);
        plot.Title(title ?? $"softmax probabilities: predicted {names[predicted]}, true {names[trueClass]}");
        plot.XLabel("class");
        plot.YLabel("probability");
        var size = new PictureSize(width, height);
        if (image.IsEmpty) return PngFile.Write(path, plot, size);
        if (image.Length != MnistLayout.ImagePixels)
            throw new ArgumentException($"an image has {MnistLayout.ImagePixels} pixels, got {image.Length}", nameof(image));
        var (digit, _) = TileSheet.Render([new Tile($"true: {names[trueClass]}", PixelColors.Ink(image))], 1,
            MnistLayout.ImageWidth, MnistLayout.ImageHeight, DigitScale);
        using (digit) return PngFile.WriteBeside(path, digit, plot, size);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
