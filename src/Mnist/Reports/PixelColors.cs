using SkiaSharp;

namespace Mnist.Reports;

/// <summary>The colour maps of the pixel pictures.</summary>
internal static class PixelColors
{
    /// <summary>Matplotlib's "binary" map, as the tutorials show digits: 0 is white paper, 255 black ink.</summary>
    public static SKColor[] Ink(ReadOnlySpan<byte> image)
    {
        var colors = new SKColor[image.Length];
        for (int i = 0; i < image.Length; i++)
        {
            byte g = (byte)(255 - image[i]);
            colors[i] = new SKColor(g, g, g);
        }
        return colors;
    }

    /// <summary>
    /// Red for negative, blue for positive, white at zero, as the codelab shows weights;
    /// <paramref name="limit"/> (the largest magnitude) maps to full red or blue.
    /// </summary>
    public static SKColor Diverging(float value, float limit)
    {
        float t = limit > 0 ? Math.Clamp(value / limit, -1f, 1f) : 0f;
        byte fade = (byte)MathF.Round(255 * (1 - MathF.Abs(t)));
        return t < 0 ? new SKColor(255, fade, fade) : new SKColor(fade, fade, 255);
    }
}
