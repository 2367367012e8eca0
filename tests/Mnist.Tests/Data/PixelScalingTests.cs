using Mnist.Data;

namespace Mnist.Tests.Data;

public class PixelScalingTests
{
    [Theory]
    [InlineData(PixelScaling.ZeroToOne, 0.0)]
    [InlineData(PixelScaling.MinusHalfToHalf, 127.5)]
    public void SimdScalingEqualsTheFormulaForEveryValueAndLength(PixelScaling scaling, double offset)
    {
        // Every byte value, at every position of a 64-wide vector and in the scalar tail.
        foreach (int length in new[] { 1, 63, 64, 65, 784, 256 * 3 + 5 })
        {
            var bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
            var scaled = new float[length];
            PixelLookup.Scale(bytes, scaled, PixelLookup.Offset(scaling));
            for (int i = 0; i < length; i++)
                Assert.Equal((float)((bytes[i] - offset) / 255.0), scaled[i]);
        }
    }
}
