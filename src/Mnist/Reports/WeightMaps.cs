using System.Globalization;
using Mnist.Data;
using SkiaSharp;

namespace Mnist.Reports;

/// <summary>
/// The softmax model's ten weight columns as 28×28 maps, titled with their class: blue where a pixel's
/// ink argues for the class, red where it argues against, white where it does not matter; a colour key
/// below gives the scale.
/// </summary>
public static class WeightMaps
{
    private const int KeyHeight = 72, BarHeight = 16, Margin = 8;

    /// <param name="weights">W of y = softmax(xW + b), [784, 10] row-major.</param>
    /// <param name="classNames">The ten classes' names, the maps' titles (default "0".."9").</param>
    public static GridPicture Write(string path, ReadOnlySpan<float> weights, IReadOnlyList<string>? classNames = null,
        int columns = 5, int scale = 7)
    {
        const int pixels = MnistLayout.ImagePixels, classes = MnistLayout.NumClasses;
        if (weights.Length != pixels * classes)
            throw new ArgumentException($"W has {weights.Length} values, expected [784, 10] = {pixels * classes}", nameof(weights));
        classNames ??= Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (classNames.Count != classes) throw new ArgumentException($"{classNames.Count} class names for {classes} classes", nameof(classNames));
        // One symmetric scale for all ten maps, so their strengths compare and zero is always white.
        float limit = 0;
        foreach (float w in weights) limit = Math.Max(limit, Math.Abs(w));

        var tiles = new Tile[classes];
        for (int c = 0; c < classes; c++)
        {
            var colors = new SKColor[pixels];
            for (int p = 0; p < pixels; p++) colors[p] = PixelColors.Diverging(weights[p * classes + c], limit);
            tiles[c] = new Tile(classNames[c], colors);
        }
        var (bitmap, rects) = TileSheet.Render(tiles, columns, MnistLayout.ImageWidth, MnistLayout.ImageHeight, scale, extraBottom: KeyHeight);
        using (bitmap)
        {
            DrawKey(bitmap, limit);
            return new GridPicture(PngFile.Write(path, bitmap), rects);
        }
    }

    /// <summary>The colour bar from −limit (red) through 0 (white) to +limit (blue), with its three values and what it means.</summary>
    private static void DrawKey(SKBitmap bitmap, float limit)
    {
        using var canvas = new SKCanvas(bitmap);
        int width = Math.Min(bitmap.Width - 2 * Margin, 480);
        int left = (bitmap.Width - width) / 2, top = bitmap.Height - KeyHeight + Margin;
        using var pen = new SKPaint { IsAntialias = false };
        for (int x = 0; x < width; x++)
        {
            pen.Color = PixelColors.Diverging((2f * x / (width - 1) - 1) * limit, limit);
            canvas.DrawRect(left + x, top, 1, BarHeight, pen);
        }
        using var frame = new SKPaint { Color = SKColors.Gray, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        canvas.DrawRect(left, top, width, BarHeight, frame);

        using var typeface = SKTypeface.FromFamilyName(ReportFont.Family);
        using var font = new SKFont(typeface, 13);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        float baseline = top + BarHeight + font.Size + 2;
        string value = limit.ToString("G3", CultureInfo.InvariantCulture);
        canvas.DrawText($"−{value}", left, baseline, SKTextAlign.Left, font, ink);
        canvas.DrawText("0", left + width / 2f, baseline, SKTextAlign.Center, font, ink);
        canvas.DrawText($"+{value}", left + width, baseline, SKTextAlign.Right, font, ink);
        canvas.DrawText("weight: red argues against the class, blue for it", left + width / 2f, baseline + font.Spacing, SKTextAlign.Center, font, ink);
    }
}
