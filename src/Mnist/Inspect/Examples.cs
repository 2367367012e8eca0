using Mnist.Data;

namespace Mnist.Inspect;

/// <summary>Picking single examples and small subsets out of a split, with a clear error for a bad index.</summary>
public static class Examples
{
    /// <exception cref="ArgumentException">The index is outside the split; the message says the valid range.</exception>
    public static void CheckIndex(DataSet data, int index, string split)
    {
        if (index < 0 || index >= data.NumExamples)
            throw new ArgumentException($"index {index} is out of range: the {split} set has {data.NumExamples} images (0..{data.NumExamples - 1})");
    }

    /// <summary>The raw 784 pixels of one example.</summary>
    public static ReadOnlySpan<byte> Image(DataSet data, int index) =>
        data.Images.AsSpan(index * MnistLayout.ImagePixels, MnistLayout.ImagePixels);

    /// <summary>A new split of the given examples, in that order and with the same pixel scaling, for the evaluator.</summary>
    public static DataSet Subset(DataSet data, IReadOnlyList<int> indices)
    {
        const int pixels = MnistLayout.ImagePixels;
        var images = new byte[indices.Count * pixels];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(data, indices[i]).CopyTo(images.AsSpan(i * pixels));
            labels[i] = data.Labels[indices[i]];
        }
        return new DataSet(images, labels, data.Scaling, classNames: data.ClassNames);
    }
}
