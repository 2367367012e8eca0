using Mnist.Reports;
using Mnist.Tests.Data;

namespace Mnist.Tests.Reports;

public sealed class WeightMapsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void NegativeWeightsAreRedPositiveBlueAndZeroWhite()
    {
        // Class 3: all negative. Class 5: all positive. Class 8: left half negative, right half positive. Others zero.
        var w = new float[784 * 10];
        for (int p = 0; p < 784; p++)
        {
            w[p * 10 + 3] = -0.5f;
            w[p * 10 + 5] = 0.7f;
            w[p * 10 + 8] = p % 28 < 14 ? -1f : 1f;
        }
        string path = _dir.File("weights.png");

        var picture = WeightMaps.Write(path, w);

        using var png = Png.Check(path, picture.Size);
        Assert.Equal(10, picture.Tiles.Count);
        Assert.Equal(picture.Tiles[0].Y, picture.Tiles[4].Y);   // two rows of five
        Assert.True(picture.Tiles[5].Y > picture.Tiles[0].Y);
        int mapPixels = 28 * 7 * 28 * 7;
        for (int c = 0; c < 10; c++)
        {
            var tile = picture.Tiles[c];
            int red = png.Count(tile, Png.IsReddish), blue = png.Count(tile, Png.IsBluish);
            switch (c)
            {
                case 3: Assert.True(red >= mapPixels && blue == 0, $"class 3: {red} red, {blue} blue"); break;
                case 5: Assert.True(blue >= mapPixels && red == 0, $"class 5: {red} red, {blue} blue"); break;
                case 8:
                    var left = tile with { Width = tile.Width / 2 };
                    var right = tile with { X = tile.X + tile.Width / 2, Width = tile.Width / 2 };
                    Assert.True(png.Count(left, Png.IsReddish) >= mapPixels / 2 && png.Count(left, Png.IsBluish) == 0);
                    Assert.True(png.Count(right, Png.IsBluish) >= mapPixels / 2 && png.Count(right, Png.IsReddish) == 0);
                    break;
                default: Assert.True(red == 0 && blue == 0, $"class {c}: {red} red, {blue} blue"); break;
            }
        }
        // The colour key below the maps runs from full red through white to full blue.
        int below = picture.Tiles.Max(t => t.Y + t.Height);
        var key = new TileRect(0, below, picture.Size.Width, picture.Size.Height - below);
        Assert.True(png.Count(key, Png.IsRed) > 100 && png.Count(key, c => c.Blue > 200 && c.Red < 60 && c.Green < 60) > 100, "no colour key");
    }

    [Fact]
    public void MapsAreTitledWithTheClassNamesGiven()
    {
        var names = new[] { "T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
        var picture = WeightMaps.Write(_dir.File("fashion.png"), new float[7840], names);
        Assert.Equal(10, picture.Tiles.Count);
        Assert.Throws<ArgumentException>(() => WeightMaps.Write(_dir.File("x.png"), new float[7840], names[..3]));
    }
}
