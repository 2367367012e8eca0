using System.Globalization;
using Mnist.Data;
using Mnist.Reports;

namespace Mnist.Inspect;

/// <summary>One digit as <c>mnist show digit</c> shows it: the picture's size, its values as text and its label.</summary>
/// <param name="OneHot">The label as the tutorials feed it, e.g. "[0,0,0,0,0,1,0,0,0,0]".</param>
public sealed record DigitView(PictureSize Size, string Text, int Label, string OneHot);

/// <summary>Pictures of the data alone, before any model: <c>mnist show samples</c> and <c>mnist show digit</c>.</summary>
public static class DataPictures
{
    /// <summary>A grid of <paramref name="count"/> examples titled with their labels: random with a seed, else the first ones.</summary>
    public static GridPicture Samples(string path, DataSet data, int count, int? seed)
    {
        var indices = DigitTiles.Pick(data.Labels, null, count, seed: seed);
        return DigitGrid.Write(path, DigitTiles.Samples(data.Images, data.Labels, indices, data.ClassNames));
    }

    public static DigitView Digit(string path, DataSet data, int index, string split)
    {
        Examples.CheckIndex(data, index, split);
        var image = Examples.Image(data, index);
        int label = data.Labels[index];
        var size = DigitPicture.Write(path, image, $"{split} image {index}: {data.ClassNames[label]}");
        var oneHot = new float[MnistLayout.NumClasses];
        data.GatherOneHotLabels(index, 1, oneHot);
        string oneHotText = $"[{string.Join(',', oneHot.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]";
        return new DigitView(size, DigitPicture.ToText(image), label, oneHotText);
    }
}
