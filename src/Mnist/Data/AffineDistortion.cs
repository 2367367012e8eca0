namespace Mnist.Data;

/// <summary>
/// One training image's random affine distortion: a shift in pixels, a rotation about the image centre and a
/// scale about it. Drawn from a counter-based hash of (seed, step, row in batch), so the distortion of any image
/// of any step is known without a generator state: a resumed run draws exactly what the uninterrupted one drew.
/// </summary>
/// <param name="ShiftX">Pixels to the right (negative: left).</param>
/// <param name="ShiftY">Pixels down (negative: up).</param>
/// <param name="RotationDegrees">Rotation about the centre; positive turns clockwise on screen (y points down).</param>
/// <param name="Scale">Magnification about the centre (above 1: larger).</param>
public readonly record struct AffineDistortion(double ShiftX, double ShiftY, double RotationDegrees, double Scale)
{
    /// <summary>The ranges: shift up to ±2 px, rotation up to ±10°, scale 0.9–1.1.</summary>
    public const double MaxShift = 2, MaxRotationDegrees = 10, MinScale = 0.9, MaxScale = 1.1;

    // Keeps augmentation's hash stream apart from every other use of the run's seed (shuffles, weights, dropout).
    private const ulong Salt = 0x6175676D_656E7400UL; // "augment\0"

    public static AffineDistortion Identity => new(0, 0, 0, 1);

    /// <summary>The distortion of row <paramref name="row"/> of step <paramref name="step"/>'s batch, uniform in each range.</summary>
    public static AffineDistortion Draw(int seed, long step, int row)
    {
        ulong key = SplitMix64.Mix(SplitMix64.Mix(SplitMix64.Mix((ulong)seed ^ Salt) + (ulong)step) + (ulong)row);
        return new AffineDistortion(
            Uniform(key, 1, -MaxShift, MaxShift),
            Uniform(key, 2, -MaxShift, MaxShift),
            Uniform(key, 3, -MaxRotationDegrees, MaxRotationDegrees),
            Uniform(key, 4, MinScale, MaxScale));
    }

    // The k-th value of the key's stream, as SplitMix64 seeded with the key would give it, mapped to [low, high).
    private static double Uniform(ulong key, ulong k, double low, double high) =>
        low + (high - low) * ((SplitMix64.Mix(key + k * SplitMix64.Increment) >> 11) * (1.0 / (1UL << 53)));
}
