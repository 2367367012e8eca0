namespace Mnist.Data;

/// <summary>One 256-entry float table per scaling: a batch gather becomes a table lookup per pixel.</summary>
internal static class PixelLookup
{
    private static readonly float[] ZeroToOne = Build(v => v / 255.0);
    private static readonly float[] MinusHalfToHalf = Build(v => (v - 127.5) / 255.0);

    public static float[] For(PixelScaling scaling) => scaling switch
    {
        PixelScaling.ZeroToOne => ZeroToOne,
        PixelScaling.MinusHalfToHalf => MinusHalfToHalf,
        _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "unknown pixel scaling"),
    };

    private static float[] Build(Func<double, double> scale)
    {
        var table = new float[256];
        for (int v = 0; v < table.Length; v++) table[v] = (float)scale(v);
        return table;
    }
}
