using System.Globalization;
using Mnist.Data;
using Mnist.Reports;

namespace Mnist.Inspect;

/// <summary>
/// <c>mnist show augmented</c>: one training digit and the distortions a run with --augment and that seed gives it,
/// as the image in row 0 of steps 0, 1, 2... (<see cref="AffineDistortion.Draw"/>), warped by the trainer's own code.
/// </summary>
public static class AugmentedPictures
{
    /// <summary>The grid's columns: the default 36 tiles make a square.</summary>
    public const int Columns = 6;

    /// <summary>The most tiles a picture holds (a 6 × 100 grid), so a typo cannot ask for a picture of gigabytes.</summary>
    public const int MaxCount = 600;

    /// <summary>Writes <paramref name="count"/> tiles: the original, titled with its label, then count − 1 distortions
    /// titled with their rotation and scale.</summary>
    /// <exception cref="ArgumentException">The index is outside the training set, or the count outside 1..<see cref="MaxCount"/>.</exception>
    public static GridPicture Write(string path, DataSet train, int index, int count, int seed)
    {
        Examples.CheckIndex(train, index, "training");
        if (count < 1 || count > MaxCount) throw new ArgumentOutOfRangeException(nameof(count), count, $"must be from 1 to {MaxCount}");
        const int pixels = MnistLayout.ImagePixels;
        var original = new float[pixels];
        train.GatherImages(index, 1, original);
        float background = PixelLookup.Background(train.Scaling), offset = -255 * background;
        var tiles = new byte[count * pixels];
        var titles = new string[count];
        Examples.Image(train, index).CopyTo(tiles);
        titles[0] = $"original: {train.ClassNames[train.Labels[index]]}";
        var warped = new float[pixels];
        for (int k = 1; k < count; k++)
        {
            var d = AffineDistortion.Draw(seed, k - 1, 0);
            ImageWarp.Apply(original, warped, d, background);
            for (int i = 0; i < pixels; i++)
                tiles[k * pixels + i] = (byte)Math.Clamp(MathF.Round(warped[i] * 255 + offset), 0, 255);
            titles[k] = string.Create(CultureInfo.InvariantCulture, $"{d.RotationDegrees:+0;-0}° ×{d.Scale:F2}");
        }
        string title = $"training image {index} and {count - 1} random distortions (seed {seed})";
        return DigitGrid.Write(path, new DigitTiles(tiles, titles, new bool[count]), Math.Min(Columns, count), scale: 3, title: title);
    }
}
