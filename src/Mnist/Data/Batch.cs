namespace Mnist.Data;

/// <summary>
/// One mini-batch, gathered into float buffers that are reused: by the <see cref="DataSet"/> that returned
/// it (valid until its next <see cref="DataSet.NextBatch(int, bool)"/>), or by the caller that passed it in.
/// </summary>
public sealed class Batch
{
    public Batch(int size)
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
