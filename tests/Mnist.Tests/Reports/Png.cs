using Mnist.Reports;
using SkiaSharp;

namespace Mnist.Tests.Reports;

/// <summary>Reads a written PNG back and asks simple questions of its pixels.</summary>
internal sealed class Png : IDisposable
{
    private readonly SKBitmap _bitmap;

    public Png(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        _bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not a decodable image");
    }

    public int Width => _bitmap.Width;
    public int Height => _bitmap.Height;

    public SKColor this[int x, int y] => _bitmap.GetPixel(x, y);

    public void Dispose() => _bitmap.Dispose();

    /// <summary>Asserts the picture has the returned size and is not blank.</summary>
    public static Png Check(string path, PictureSize size, int minColors = 3)
    {
        var png = new Png(path);
        Assert.Equal(size, new PictureSize(png.Width, png.Height));
        Assert.True(png.DistinctColors() >= minColors, $"{path} has only {png.DistinctColors()} colours");
        return png;
    }

    public int DistinctColors()
    {
        var colors = new HashSet<SKColor>();
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++) colors.Add(this[x, y]);
        return colors.Count;
    }

    /// <summary>Pixels within the rectangle matching <paramref name="match"/>.</summary>
    public int Count(TileRect rect, Func<SKColor, bool> match)
    {
        int n = 0;
        for (int y = rect.Y; y < rect.Y + rect.Height; y++)
            for (int x = rect.X; x < rect.X + rect.Width; x++)
                if (match(this[x, y])) n++;
        return n;
    }

    public TileRect All => new(0, 0, Width, Height);

    /// <summary>Strongly red: the highlight and negative-weight colour, not grey, blue or white.</summary>
    public static bool IsRed(SKColor c) => c.Red > 180 && c.Green < 120 && c.Blue < 120;

    /// <summary>Red-dominant, as a negative weight of any strength is drawn.</summary>
    public static bool IsReddish(SKColor c) => c.Red - c.Blue > 60 && c.Red - c.Green > 60;

    /// <summary>Blue-dominant, as a positive weight of any strength is drawn.</summary>
    public static bool IsBluish(SKColor c) => c.Blue - c.Red > 60 && c.Blue - c.Green > 60;
}
