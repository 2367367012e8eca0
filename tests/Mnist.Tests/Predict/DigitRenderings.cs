using SkiaSharp;

namespace Mnist.Tests.Predict;

/// <summary>MNIST digits drawn as picture files the way users' pictures come: larger, inverted, in colour, off-centre, bolder.</summary>
internal static class DigitRenderings
{
    public sealed record Rendering(string Name, Func<byte[], SKBitmap> Draw);

    public static IReadOnlyList<Rendering> All { get; } =
    [
        new("scaled-100", d => Colour(Scaled(d, 100), inkColour: new(255, 255, 255), background: new(0, 0, 0))),
        new("scaled-280", d => Colour(Scaled(d, 280), inkColour: new(255, 255, 255), background: new(0, 0, 0))),
        new("inverted", d => Colour(Scaled(d, 100), inkColour: new(0, 0, 0), background: new(255, 255, 255))),
        new("rgb", d => Colour(Scaled(d, 120), inkColour: new(30, 60, 200), background: new(250, 240, 210))),
        new("off-centre", d => OffCentre(Scaled(d, 84))),
        new("thick", d => Colour(Dilated(Scaled(d, 140), radius: 2), inkColour: new(20, 20, 20), background: new(235, 235, 235))),
    ];

    /// <summary>Writes the picture as a PNG file.</summary>
    public static void Save(SKBitmap bitmap, string path)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    // The 28×28 digit (ink 255 on 0) scaled to side×side with bilinear filtering: grey ink values.
    private static byte[,] Scaled(byte[] digit, int side)
    {
        using var small = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        digit.CopyTo(small.GetPixelSpan());
        using var large = small.Resize(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque), new SKSamplingOptions(SKFilterMode.Linear));
        var pixels = large.GetPixelSpan();
        var result = new byte[side, side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) result[y, x] = pixels[y * large.RowBytes + x];
        return result;
    }

    // Each pixel's ink mixes the ink colour into the background colour.
    private static SKBitmap Colour(byte[,] ink, SKColor inkColour, SKColor background) =>
        Colour(ink, inkColour, background, ink.GetLength(1), ink.GetLength(0), 0, 0);

    private static SKBitmap Colour(byte[,] ink, SKColor inkColour, SKColor background, int width, int height, int left, int top)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = bitmap.GetPixelSpan();
        static byte Mix(byte bg, byte fg, double t) => (byte)Math.Round(bg + (fg - bg) * t);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int iy = y - top, ix = x - left, at = y * bitmap.RowBytes + 4 * x;
                double t = iy >= 0 && iy < ink.GetLength(0) && ix >= 0 && ix < ink.GetLength(1) ? ink[iy, ix] / 255.0 : 0;
                pixels[at] = Mix(background.Red, inkColour.Red, t);
                pixels[at + 1] = Mix(background.Green, inkColour.Green, t);
                pixels[at + 2] = Mix(background.Blue, inkColour.Blue, t);
                pixels[at + 3] = 255;
            }
        return bitmap;
    }

    // A small digit in the upper right of a wide dark canvas.
    private static SKBitmap OffCentre(byte[,] ink) => Colour(ink, new(255, 255, 255), new(10, 10, 10), 300, 200, 190, 20);

    // Bolder strokes: each pixel takes the strongest ink in the (2r+1)² square around it (a max filter, by rows then columns).
    private static byte[,] Dilated(byte[,] ink, int radius)
    {
        int h = ink.GetLength(0), w = ink.GetLength(1);
        var rows = new byte[h, w];
        var result = new byte[h, w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int d = Math.Max(0, x - radius); d <= Math.Min(w - 1, x + radius); d++) rows[y, x] = Math.Max(rows[y, x], ink[y, d]);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int d = Math.Max(0, y - radius); d <= Math.Min(h - 1, y + radius); d++) result[y, x] = Math.Max(result[y, x], rows[d, x]);
        return result;
    }
}
