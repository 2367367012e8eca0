using Mnist.Data;

namespace Mnist.Models;

/// <summary>A model's pixel scaling as an affine map of read_data_sets' [0, 1] pixels: scaled = p·Scale + Shift.</summary>
public static class PixelAffine
{
    /// <summary>(v − 127.5) / 255 = v/255 − 0.5, so LeNet's [−0.5, 0.5] is the [0, 1] pixel shifted by −0.5.</summary>
    public static (double Scale, double Shift) FromUnit(PixelScaling scaling) => scaling switch
    {
        PixelScaling.ZeroToOne => (1, 0),
        PixelScaling.MinusHalfToHalf => (1, -0.5),
        _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "unknown pixel scaling"),
    };
}
