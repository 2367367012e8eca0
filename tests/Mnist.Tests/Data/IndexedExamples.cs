using Mnist.Data;

namespace Mnist.Tests.Data;

/// <summary>
/// Synthetic examples whose pixels encode their own index (pixel 0 = i % 256, pixel 1 = i / 256),
/// so a test can tell exactly which examples a batch contains. Label of example i is i % 10.
/// </summary>
internal static class IndexedExamples
{
    public static byte[] Pixels(int count, int first = 0)
    {
        var pixels = new byte[count * MnistLayout.ImagePixels];
        for (int i = 0; i < count; i++)
        {
            int index = first + i;
            pixels[i * MnistLayout.ImagePixels] = (byte)(index % 256);
            pixels[i * MnistLayout.ImagePixels + 1] = (byte)(index / 256);
            pixels[i * MnistLayout.ImagePixels + 2] = 255;
        }
        return pixels;
    }

    public static byte[] Labels(int count, int first = 0) =>
        Enumerable.Range(first, count).Select(i => (byte)(i % 10)).ToArray();

    public static DataSet DataSet(int count, ulong seed = 0) => new(Pixels(count), Labels(count), PixelScaling.ZeroToOne, seed);

    /// <summary>The example indices in a batch (or a gathered float buffer scaled to [0, 1]).</summary>
    public static int[] Decode(ReadOnlySpan<float> images, int count)
    {
        var indices = new int[count];
        for (int row = 0; row < count; row++)
        {
            var image = images.Slice(row * MnistLayout.ImagePixels, MnistLayout.ImagePixels);
            indices[row] = (int)MathF.Round(image[0] * 255) + 256 * (int)MathF.Round(image[1] * 255);
        }
        return indices;
    }

    public static int[] Decode(Batch batch) => Decode(batch.Images, batch.Size);
}
