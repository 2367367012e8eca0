using Mnist.Reports;
using Mnist.Tests.Data;

namespace Mnist.Tests.Reports;

public sealed class DigitPictureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A synthetic "1": a vertical bar of ink in columns 12..15, rows 4..23.</summary>
    internal static byte[] One()
    {
        var image = new byte[784];
        for (int y = 4; y < 24; y++)
            for (int x = 12; x < 16; x++) image[y * 28 + x] = 255;
        image[0] = 128;
        return image;
    }

    [Fact]
    public void LargeDigitHasInkWhereThePixelsAre()
    {
        string path = _dir.File("digit.png");
        var size = DigitPicture.Write(path, One(), "Label: 1", scale: 10);
        using var png = Png.Check(path, size);
        Assert.True(size.Width >= 280 && size.Height >= 280, $"size {size}");

        // The image sits centred below the title, 4 pixels of margin under it.
        int left = (size.Width - 280) / 2, top = size.Height - 4 - 280;
        Assert.Equal(0, png[left + 13 * 10 + 5, top + 10 * 10 + 5].Red);      // ink is black
        Assert.Equal(255, png[left + 3 * 10 + 5, top + 10 * 10 + 5].Red);     // paper is white
        Assert.Equal(127, png[left + 5, top + 5].Red);                        // 128 of ink is mid grey
    }

    [Fact]
    public void TextIsTwentyEightLinesOfTwentyEightValues()
    {
        string text = DigitPicture.ToText(One());
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(28, lines.Length);
        Assert.All(lines, l => Assert.Equal(28, l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.StartsWith("0.50    0", lines[0]);
        Assert.Contains("1.00 1.00 1.00 1.00", lines[10]);
    }

    [Fact]
    public void WrongSizedImageIsRejected() =>
        Assert.Throws<ArgumentException>(() => DigitPicture.ToText(new byte[783]));
}
