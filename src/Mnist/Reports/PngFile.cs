using Mnist.IO;
using ScottPlot;
using SkiaSharp;

namespace Mnist.Reports;

/// <summary>Writes PNGs through <see cref="AtomicFile"/>, so a report page never links a half-written picture.</summary>
internal static class PngFile
{
    public static PictureSize Write(string path, SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {path} as PNG");
        AtomicFile.Write(path, data.SaveTo);
        return new PictureSize(bitmap.Width, bitmap.Height);
    }

    public static PictureSize Write(string path, Plot plot, PictureSize size)
    {
        byte[] png = Render(plot, size);
        AtomicFile.Write(path, stream => stream.Write(png));
        return size;
    }

    /// <summary>Plots of one size side by side in one picture, so they compare at a glance.</summary>
    public static PictureSize WriteSideBySide(string path, IReadOnlyList<Plot> plots, PictureSize each)
    {
        using var bitmap = new SKBitmap(each.Width * plots.Count, each.Height);
        using (var canvas = new SKCanvas(bitmap))
        {
            for (int i = 0; i < plots.Count; i++)
            {
                using var panel = SKBitmap.Decode(Render(plots[i], each));
                canvas.DrawBitmap(panel, i * each.Width, 0);
            }
        }
        return Write(path, bitmap);
    }

    /// <summary>A bitmap (a digit) left of a plot, centred on the plot's height, in one picture.</summary>
    public static PictureSize WriteBeside(string path, SKBitmap left, Plot plot, PictureSize plotSize)
    {
        using var bitmap = new SKBitmap(left.Width + plotSize.Width, Math.Max(left.Height, plotSize.Height));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(left, 0, (bitmap.Height - left.Height) / 2);
            using var panel = SKBitmap.Decode(Render(plot, plotSize));
            canvas.DrawBitmap(panel, left.Width, (bitmap.Height - plotSize.Height) / 2);
        }
        return Write(path, bitmap);
    }

    private static byte[] Render(Plot plot, PictureSize size)
    {
        plot.Font.Set(ReportFont.Family);
        plot.Legend.FontName = ReportFont.Family;   // the legend keeps its own font name
        return plot.GetImageBytes(size.Width, size.Height, ImageFormat.Png);
    }
}
