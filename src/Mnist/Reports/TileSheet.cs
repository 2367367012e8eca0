using SkiaSharp;

namespace Mnist.Reports;

/// <summary>One small picture of a tile sheet: its title and its pixels, row-major.</summary>
internal sealed record Tile(string Title, SKColor[] Pixels, bool Highlight = false);

/// <summary>
/// Draws small pixel pictures (digits, weight maps) as a grid of titled tiles, each pixel a
/// <c>scale</c>×<c>scale</c> block. Highlighted tiles get a red frame and a red title, the only red
/// on the sheet, so a reader (and a test) finds the mistakes at a glance.
/// </summary>
internal static class TileSheet
{
    private static readonly SKColor HighlightColor = new(214, 39, 40);
    private const int Padding = 4;
    private const int FrameWidth = 3;

    /// <param name="title">A line above the grid (e.g. what the tiles show and how many are wrong); none if null.</param>
    public static GridPicture Write(string path, IReadOnlyList<Tile> tiles, int columns, int width, int height, int scale, string? title = null)
    {
        var (bitmap, rects) = Render(tiles, columns, width, height, scale, title);
        using (bitmap) return new GridPicture(PngFile.Write(path, bitmap), rects);
    }

    /// <summary>
    /// The sheet as a bitmap (the caller disposes it) with <paramref name="extraBottom"/> blank rows below
    /// the tiles for the caller to draw into (a colour key), and where each tile landed.
    /// </summary>
    public static (SKBitmap Bitmap, TileRect[] Tiles) Render(IReadOnlyList<Tile> tiles, int columns, int width, int height, int scale,
        string? title = null, int extraBottom = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tiles.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        ArgumentOutOfRangeException.ThrowIfNegative(extraBottom);
        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;

        using var typeface = SKTypeface.FromFamilyName(ReportFont.Family);
        // Titles grow with the picture, but stay readable on small (scale 2) digits.
        using var font = new SKFont(typeface, Math.Max(11, 3 * scale));
        using var headingFont = new SKFont(typeface, font.Size + 4);
        int titleHeight = (int)Math.Ceiling(font.Spacing) + 2;
        int headingHeight = title is null ? 0 : (int)Math.Ceiling(headingFont.Spacing) + 2 * Padding;
        // Wide enough for the longest title too ("Guess: 4 (9)" is wider than a digit at scale 2).
        float widestTitle = tiles.Max(t => font.MeasureText(t.Title));
        int tileWidth = Math.Max(width * scale, (int)Math.Ceiling(widestTitle) + 2) + 2 * Padding;
        int tileHeight = titleHeight + height * scale + 2 * Padding;

        // A title wider than the grid widens the picture rather than being cut off.
        int pictureWidth = Math.Max(columns * tileWidth, title is null ? 0 : (int)Math.Ceiling(headingFont.MeasureText(title)) + 2 * Padding);
        var bitmap = new SKBitmap(pictureWidth, headingHeight + rows * tileHeight + extraBottom);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        if (title is not null)
        {
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(title, bitmap.Width / 2f, Padding + headingFont.Size, SKTextAlign.Center, headingFont, ink);
        }
        var rects = new TileRect[tiles.Count];
        for (int i = 0; i < tiles.Count; i++)
        {
            var rect = new TileRect(i % columns * tileWidth, headingHeight + i / columns * tileHeight, tileWidth, tileHeight);
            rects[i] = rect;
            DrawTile(canvas, font, tiles[i], rect, titleHeight, width, height, scale);
        }
        return (bitmap, rects);
    }

    private static void DrawTile(SKCanvas canvas, SKFont font, Tile tile, TileRect rect, int titleHeight, int width, int height, int scale)
    {
        if (tile.Pixels.Length != width * height)
            throw new ArgumentException($"tile \"{tile.Title}\" has {tile.Pixels.Length} pixels, expected {width}×{height}");
        var color = tile.Highlight ? HighlightColor : SKColors.Black;
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        canvas.DrawText(tile.Title, rect.X + rect.Width / 2f, rect.Y + Padding + font.Size, SKTextAlign.Center, font, paint);

        int left = rect.X + (rect.Width - width * scale) / 2, top = rect.Y + Padding + titleHeight;
        using var pixel = new SKPaint { IsAntialias = false };
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                pixel.Color = tile.Pixels[y * width + x];
                canvas.DrawRect(left + x * scale, top + y * scale, scale, scale, pixel);
            }
        }
        if (tile.Highlight)
        {
            using var frame = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = FrameWidth };
            // The stroke is centred on the rectangle, so inset it by half its width to stay inside the tile.
            float inset = FrameWidth / 2f;
            canvas.DrawRect(rect.X + inset, rect.Y + inset, rect.Width - FrameWidth, rect.Height - FrameWidth, frame);
        }
    }
}
