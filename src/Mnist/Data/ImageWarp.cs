namespace Mnist.Data;

/// <summary>
/// Applies an <see cref="AffineDistortion"/> to one 28×28 float image by inverse mapping: each output pixel reads
/// the source where the distortion's inverse sends it, bilinearly interpolated; source pixels outside the image
/// read as the background (the scaling's value of a raw 0). The identity and whole-pixel shifts land on source
/// pixels exactly, so they copy values bit for bit.
/// </summary>
public static class ImageWarp
{
    private const int Width = MnistLayout.ImageWidth, Height = MnistLayout.ImageHeight;

    // Pixel centres sit at integer coordinates, so the image turns about the middle of pixel 13.5.
    private const double CentreX = (Width - 1) / 2.0, CentreY = (Height - 1) / 2.0;

    /// <summary>Writes the distorted <paramref name="source"/> (784 values) into <paramref name="destination"/> (784 values, not overlapping).</summary>
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, in AffineDistortion distortion, float background)
    {
        if (source.Length != Width * Height || destination.Length != Width * Height)
            throw new ArgumentException($"images must have {Width * Height} pixels (source {source.Length}, destination {destination.Length})");
        // Forward: out = c + shift + s·R(θ)(in − c). Inverse: in = c + R(−θ)(out − c − shift)/s.
        double radians = distortion.RotationDegrees * (Math.PI / 180);
        double cos = Math.Cos(radians) / distortion.Scale, sin = Math.Sin(radians) / distortion.Scale;
        for (int y = 0; y < Height; y++)
        {
            double dy = y - CentreY - distortion.ShiftY;
            for (int x = 0; x < Width; x++)
            {
                double dx = x - CentreX - distortion.ShiftX;
                double sx = CentreX + cos * dx + sin * dy, sy = CentreY - sin * dx + cos * dy;
                destination[y * Width + x] = Bilinear(source, sx, sy, background);
            }
        }
    }

    private static float Bilinear(ReadOnlySpan<float> source, double x, double y, float background)
    {
        double fx0 = Math.Floor(x), fy0 = Math.Floor(y);
        // Far outside (also NaN-safe): every neighbour is background.
        if (!(fx0 >= -1 && fx0 < Width && fy0 >= -1 && fy0 < Height)) return background;
        int x0 = (int)fx0, y0 = (int)fy0;
        float tx = (float)(x - fx0), ty = (float)(y - fy0);
        float top = Lerp(Pixel(source, x0, y0, background), Pixel(source, x0 + 1, y0, background), tx);
        float bottom = Lerp(Pixel(source, x0, y0 + 1, background), Pixel(source, x0 + 1, y0 + 1, background), tx);
        return Lerp(top, bottom, ty);
    }

    // a·(1 − t) + b·t, which is a itself when t is 0: whole-pixel positions copy exactly.
    private static float Lerp(float a, float b, float t) => a * (1 - t) + b * t;

    private static float Pixel(ReadOnlySpan<float> source, int x, int y, float background) =>
        (uint)x < Width && (uint)y < Height ? source[y * Width + x] : background;
}
