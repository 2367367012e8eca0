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
        plot.Font.Set(ReportFont.Family);
        plot.Legend.FontName = ReportFont.Family;   // the legend keeps its own font name
        byte[] png = plot.GetImageBytes(size.Width, size.Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
        return size;
    }
}
