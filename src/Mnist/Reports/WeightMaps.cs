using Mnist.Data;
using SkiaSharp;

namespace Mnist.Reports;

/// <summary>
/// The softmax model's ten weight columns as 28×28 maps side by side, titled 0..9: blue where a
/// pixel's ink argues for the class, red where it argues against, white where it does not matter.
/// </summary>
public static class WeightMaps
{
    /// <param name="weights">W of y = softmax(xW + b), [784, 10] row-major.</param>
    /// <param name="classNames">Each map's title (default MNIST's digits).</param>
    public static GridPicture Write(string path, ReadOnlySpan<float> weights, int columns = MnistLayout.NumClasses, int scale = 4,
        IReadOnlyList<string>? classNames = null)
    {
        var names = classNames ?? KnownDataSets.Mnist.ClassNames;
        const int pixels = MnistLayout.ImagePixels, classes = MnistLayout.NumClasses;
        if (weights.Length != pixels * classes)
            throw new ArgumentException($"W has {weights.Length} values, expected [784, 10] = {pixels * classes}", nameof(weights));
        // One symmetric scale for all ten maps, so their strengths compare and zero is always white.
        float limit = 0;
        foreach (float w in weights) limit = Math.Max(limit, Math.Abs(w));

        var tiles = new Tile[classes];
        for (int c = 0; c < classes; c++)
        {
            var colors = new SKColor[pixels];
            for (int p = 0; p < pixels; p++) colors[p] = PixelColors.Diverging(weights[p * classes + c], limit);
            tiles[c] = new Tile(names[c], colors);
        }
        return TileSheet.Write(path, tiles, columns, MnistLayout.ImageWidth, MnistLayout.ImageHeight, scale);
    }
}
