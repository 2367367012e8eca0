using Mnist.Data;

namespace Mnist.Tests.Data;

public sealed class DataSetGatherTests
{
    private static DataSet SinglePixelValues(PixelScaling scaling)
    {
        // Example i has every pixel equal to (0, 51, 127, 255)[i].
        byte[] values = [0, 51, 127, 255];
        var images = values.SelectMany(v => Enumerable.Repeat(v, MnistLayout.ImagePixels)).ToArray();
        return new DataSet(images, [3, 1, 4, 1], scaling);
    }

    [Theory]
    [InlineData(PixelScaling.ZeroToOne, new[] { 0f, 0.2f, 127 / 255f, 1f })]
    [InlineData(PixelScaling.MinusHalfToHalf, new[] { -0.5f, -76.5f / 255, -0.5f / 255, 0.5f })]
    public void Images_are_scaled_as_requested(PixelScaling scaling, float[] expected)
    {
        var data = SinglePixelValues(scaling);
        var buffer = new float[4 * MnistLayout.ImagePixels];
        data.GatherImages(0, 4, buffer);
        for (int i = 0; i < 4; i++)
        {
            Assert.All(buffer.AsSpan(i * MnistLayout.ImagePixels, MnistLayout.ImagePixels).ToArray(),
                v => Assert.Equal(expected[i], v, 6));
        }
    }

    [Fact]
    public void Gathers_an_arbitrary_range_in_file_order()
    {
        var data = IndexedExamples.DataSet(20);
        var images = new float[3 * MnistLayout.ImagePixels];
        var oneHot = new float[3 * MnistLayout.NumClasses];
        var labels = new int[3];

        data.GatherImages(15, 3, images);
        data.GatherOneHotLabels(15, 3, oneHot);
        data.GatherLabels(15, 3, labels);

        Assert.Equal([15, 16, 17], IndexedExamples.Decode(images, 3));
        Assert.Equal([5, 6, 7], labels);
        for (int row = 0; row < 3; row++)
        {
            Assert.Equal(1f, oneHot[row * 10 + labels[row]]);
            Assert.Equal(1f, oneHot.AsSpan(row * 10, 10).ToArray().Sum());
        }
    }

    [Fact]
    public void Gather_rejects_ranges_outside_the_set_and_short_destinations()
    {
        var data = IndexedExamples.DataSet(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.GatherLabels(8, 3, new int[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.GatherLabels(-1, 1, new int[1]));
        Assert.Throws<ArgumentException>(() => data.GatherImages(0, 2, new float[MnistLayout.ImagePixels]));
    }

    [Fact]
    public void Constructor_rejects_mismatched_sizes_and_bad_labels()
    {
        Assert.Throws<ArgumentException>(() => new DataSet(new byte[784 * 2], [1]));
        Assert.Throws<ArgumentException>(() => new DataSet(new byte[784], [10]));
    }
}
