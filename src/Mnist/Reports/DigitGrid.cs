using Mnist.Data;

namespace Mnist.Reports;

/// <summary>A grid of digits with a title each; mistakes (highlighted tiles) framed in red.</summary>
public static class DigitGrid
{
    /// <summary>The notebook's grid of test predictions: 12 rows of 15.</summary>
    public const int DefaultRows = 12;
    public const int DefaultColumns = 15;

    /// <summary>Writes the grid as a PNG, with <paramref name="title"/> above it if given; returns its size and where each tile is.</summary>
    public static GridPicture Write(string path, DigitTiles tiles, int columns = DefaultColumns, int scale = 2, string? title = null)
    {
        const int pixels = MnistLayout.ImagePixels;
        if (tiles.Images.Length != tiles.Count * pixels || tiles.Highlights.Count != tiles.Count)
            throw new ArgumentException($"{tiles.Count} titles need {tiles.Count * pixels} image bytes and as many highlight flags", nameof(tiles));
        var sheet = new Tile[tiles.Count];
        for (int i = 0; i < sheet.Length; i++)
            sheet[i] = new Tile(tiles.Titles[i], PixelColors.Ink(tiles.Images.AsSpan(i * pixels, pixels)), tiles.Highlights[i]);
        return TileSheet.Write(path, sheet, columns, MnistLayout.ImageWidth, MnistLayout.ImageHeight, scale, title);
    }
}
