using SkiaSharp;

namespace Mnist.Web;

/// <summary>
/// Stand-in for <c>mnist predict</c>'s preprocessing until it lands on main: decodes the image, reads ink as
/// darkness on a light background (or brightness on a dark one) and scales the whole picture to 28×28.
/// It does not crop or centre; the shared preprocessing replaces it.
/// </summary>
public sealed class ResizedImageInput : IDigitInput
{
    public float[] FromImage(byte[] encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new BadRequestException(400, "the body is not a PNG or JPEG image this server can read");
        using var bitmap = SKBitmap.Decode(codec) ?? throw new BadRequestException(400, "the image could not be decoded");
        using var small = bitmap.Resize(new SKImageInfo(28, 28, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new BadRequestException(400, "the image could not be scaled to 28×28");
        var grey = new float[28 * 28];
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                var c = small.GetPixel(x, y);
                // Transparent pixels are background (a canvas's unpainted area).
                grey[y * 28 + x] = c.Alpha / 255f * (0.299f * c.Red + 0.587f * c.Green + 0.114f * c.Blue) / 255f;
            }
        bool lightBackground = grey.Average() > 0.5f;
        for (int i = 0; i < grey.Length; i++) grey[i] = Math.Clamp(lightBackground ? 1 - grey[i] : grey[i], 0f, 1f);
        return grey;
    }
}
