using ScottPlot;

namespace Mnist.Reports;

/// <summary>A 2-D map of examples (a t-SNE embedding, as the Embedding Projector shows it), one colour per label.</summary>
public static class ProjectorMap
{
    /// <param name="points">n points as x, y pairs, [n * 2].</param>
    /// <param name="labels">The class of each point, [n].</param>
    /// <param name="classNames">Legend text per class (default the class indices, MNIST's digits).</param>
    public static PictureSize Write(string path, ReadOnlySpan<float> points, ReadOnlySpan<byte> labels, string title = "t-SNE map",
        int width = 800, int height = 700, IReadOnlyList<string>? classNames = null) =>
        PngFile.Write(path, Build(points, labels, title, classNames), new PictureSize(width, height));

    /// <summary>Two maps of the same points side by side (raw pixels beside a model's features), each <paramref name="width"/> wide.</summary>
    public static PictureSize WritePair(string path, ReadOnlySpan<byte> labels, (float[] Points, string Title) left, (float[] Points, string Title) right,
        int width = 800, int height = 700, IReadOnlyList<string>? classNames = null) =>
        PngFile.WriteSideBySide(path, [Build(left.Points, labels, left.Title, classNames), Build(right.Points, labels, right.Title, classNames)],
            new PictureSize(width, height));

    private static Plot Build(ReadOnlySpan<float> points, ReadOnlySpan<byte> labels, string title, IReadOnlyList<string>? classNames)
    {
        if (points.Length != 2 * labels.Length)
            throw new ArgumentException($"{points.Length / 2.0} points for {labels.Length} labels", nameof(points));
        var xs = new Dictionary<int, List<double>>();
        var ys = new Dictionary<int, List<double>>();
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if (!xs.ContainsKey(label)) (xs[label], ys[label]) = (new(), new());
            xs[label].Add(points[2 * i]);
            ys[label].Add(points[2 * i + 1]);
        }

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (int label in xs.Keys.Order())
        {
            var dots = plot.Add.ScatterPoints(xs[label].ToArray(), ys[label].ToArray(), palette.GetColor(label));
            dots.MarkerSize = 4;
            dots.LegendText = classNames is null ? label.ToString() : classNames[label];
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title(title);
        return plot;
    }
}
