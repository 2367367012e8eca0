namespace Mnist.Data;

/// <summary>
/// One mini-batch, gathered into float buffers. Owned and reused by the <see cref="DataSet"/> that
/// returned it: the contents are valid only until that data set's next <see cref="DataSet.NextBatch"/> call.
/// </summary>
public sealed class Batch
{
    internal Batch(int size)
    {
        Size = size;
        Images = new float[size * MnistLayout.ImagePixels];
        OneHotLabels = new float[size * MnistLayout.NumClasses];
        Labels = new int[size];
    }

    public int Size { get; }

    /// <summary>Scaled pixels, [Size * 784], row-major per example.</summary>
    public float[] Images { get; }

    /// <summary>One-hot labels, [Size * 10].</summary>
    public float[] OneHotLabels { get; }

    /// <summary>Class indices, [Size].</summary>
    public int[] Labels { get; }
}
