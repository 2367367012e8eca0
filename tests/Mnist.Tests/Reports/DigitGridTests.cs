using Mnist.Reports;
using Mnist.Tests.Data;

namespace Mnist.Tests.Reports;

public sealed class DigitGridTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const int Examples = 400;

    /// <summary>Every example is the synthetic "1"; labels cycle 0..9 and every seventh prediction is off by one.</summary>
    private static (byte[] Images, byte[] Labels, int[] Predictions) Examples400()
    {
        var one = DigitPictureTests.One();
        var images = new byte[Examples * 784];
        var labels = new byte[Examples];
        var predictions = new int[Examples];
        for (int i = 0; i < Examples; i++)
        {
            one.CopyTo(images, i * 784);
            labels[i] = (byte)(i % 10);
            predictions[i] = i % 7 == 0 ? (i + 1) % 10 : i % 10;
        }
        return (images, labels, predictions);
    }

    [Fact]
    public void PredictionGridHighlightsExactlyTheWrongGuesses()
    {
        var (images, labels, predictions) = Examples400();
        var indices = DigitTiles.Pick(labels, predictions, DigitGrid.DefaultRows * DigitGrid.DefaultColumns, seed: 66478);
        var tiles = DigitTiles.Predictions(images, labels, predictions, indices);
        string path = _dir.File("predictions.png");

        var picture = DigitGrid.Write(path, tiles);

        using var png = Png.Check(path, picture.Size);
        Assert.Equal(180, picture.Tiles.Count);
        Assert.Equal(15 * picture.Tiles[0].Width, picture.Size.Width);
        Assert.Equal(12 * picture.Tiles[0].Height, picture.Size.Height);
        for (int t = 0; t < picture.Tiles.Count; t++)
        {
            int i = indices[t];
            bool wrong = predictions[i] != labels[i];
            Assert.Equal(wrong, png.Count(picture.Tiles[t], Png.IsRed) > 100);
            Assert.Equal(wrong ? $"Guess: {predictions[i]} ({labels[i]})" : $"Guess: {predictions[i]}", tiles.Titles[t]);
            // Every tile holds the digit's black ink.
            Assert.True(png.Count(picture.Tiles[t], c => c.Red < 10 && c.Green < 10) >= 20 * 4 * 2 * 2);
        }
        Assert.Contains(true, tiles.Highlights);
        Assert.Equal(png.Count(png.All, Png.IsRed), picture.Tiles.Sum(r => png.Count(r, Png.IsRed)));
    }

    [Fact]
    public void OnlyMistakesPicksWrongGuessesOnly()
    {
        var (_, labels, predictions) = Examples400();
        var indices = DigitTiles.Pick(labels, predictions, 180, onlyMistakes: true, seed: 1);
        Assert.Equal(Enumerable.Range(0, Examples).Count(i => i % 7 == 0), indices.Length);
        Assert.All(indices, i => Assert.NotEqual(labels[i], predictions[i]));
    }

    [Fact]
    public void PickWithoutSeedTakesTheFirstInOrderAndWithSeedIsRepeatable()
    {
        var (_, labels, predictions) = Examples400();
        Assert.Equal([0, 1, 2], DigitTiles.Pick(labels, predictions, 3));
        Assert.Equal(DigitTiles.Pick(labels, null, 50, seed: 5), DigitTiles.Pick(labels, null, 50, seed: 5));
        Assert.Equal(50, DigitTiles.Pick(labels, null, 50, seed: 5).Distinct().Count());
    }

    [Fact]
    public void SampleGridIsTitledWithLabelsAndHasNoRed()
    {
        var (images, labels, _) = Examples400();
        var tiles = DigitTiles.Samples(images, labels, [3, 14, 25]);
        Assert.Equal(["3", "4", "5"], tiles.Titles);
        string path = _dir.File("samples.png");

        var picture = DigitGrid.Write(path, tiles, columns: 2, scale: 3);

        using var png = Png.Check(path, picture.Size);
        Assert.Equal(3, picture.Tiles.Count);
        Assert.Equal(2 * picture.Tiles[0].Width, picture.Size.Width);
        Assert.Equal(2 * picture.Tiles[0].Height, picture.Size.Height);
        Assert.Equal(0, png.Count(png.All, Png.IsRed));
    }

    [Fact]
    public void TitleStandsAboveTheGridAndWidensItWhenLonger()
    {
        var (images, labels, predictions) = Examples400();
        var tiles = DigitTiles.Predictions(images, labels, predictions, [0, 1]);
        string path = _dir.File("titled.png");

        var picture = DigitGrid.Write(path, tiles, columns: 2, title: "softmax on 400 test images: 58 wrong; 2 at random, 1 wrong");

        using var png = Png.Check(path, picture.Size);
        Assert.True(picture.Tiles[0].Y > 10, "the tiles start below the title");
        Assert.True(picture.Size.Width > 2 * picture.Tiles[0].Width, "the title is wider than two tiles");
        var heading = new TileRect(0, 0, picture.Size.Width, picture.Tiles[0].Y);
        Assert.True(png.Count(heading, c => c.Red < 100 && c.Green < 100 && c.Blue < 100) > 50, "no title ink");
    }
}
