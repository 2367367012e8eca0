namespace Mnist.Reports;

/// <summary>The pixel size of a written picture.</summary>
public readonly record struct PictureSize(int Width, int Height);

/// <summary>A rectangle in a written picture, in pixels from its top-left corner.</summary>
public readonly record struct TileRect(int X, int Y, int Width, int Height)
{
    public bool Contains(int x, int y) => x >= X && x < X + Width && y >= Y && y < Y + Height;
}

/// <summary>A written grid picture and where each tile landed, in tile order (row by row).</summary>
public sealed record GridPicture(PictureSize Size, IReadOnlyList<TileRect> Tiles);
