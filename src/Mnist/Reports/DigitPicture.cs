using System.Text;
using Mnist.Data;

namespace Mnist.Reports;

/// <summary>One digit, large (<c>mnist show digit N</c>), and the same digit as the codelab's matrix of numbers.</summary>
public static class DigitPicture
{
    /// <summary>Writes the 28×28 image, each pixel a <paramref name="scale"/>-pixel square (280×280 at 10), under a title.</summary>
    public static PictureSize Write(string path, ReadOnlySpan<byte> image, string title, int scale = 10)
    {
        CheckImage(image);
        var tile = new Tile(title, PixelColors.Ink(image));
        return TileSheet.Write(path, [tile], 1, MnistLayout.ImageWidth, MnistLayout.ImageHeight, scale).Size;
    }

    /// <summary>
    /// The image as 28 lines of 28 values scaled to [0, 1] (as <c>print(mnist.train.images[5].reshape(28, 28))</c>
    /// shows it), two decimals each and a bare 0 for blank paper, so the digit's shape stands out in a terminal.
    /// </summary>
    public static string ToText(ReadOnlySpan<byte> image)
    {
        CheckImage(image);
        var text = new StringBuilder();
        for (int y = 0; y < MnistLayout.ImageHeight; y++)
        {
            for (int x = 0; x < MnistLayout.ImageWidth; x++)
            {
                byte v = image[y * MnistLayout.ImageWidth + x];
                text.Append(x == 0 ? "" : " ").Append(v == 0 ? "   0" : (v / 255.0).ToString("0.00").PadLeft(4));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void CheckImage(ReadOnlySpan<byte> image)
    {
        if (image.Length != MnistLayout.ImagePixels)
            throw new ArgumentException($"an image has {MnistLayout.ImagePixels} pixels, got {image.Length}", nameof(image));
    }
}
