using System.Runtime.InteropServices;

namespace Flow;

/// <summary>
/// A tensor value in host memory: what a feed provides and a fetch returns (TF's numpy arrays).
/// Wraps a typed array without copying, so a caller can refill the same array between runs.
/// </summary>
public sealed class HostTensor
{
    public Shape Shape { get; }
    public DType DType { get; }
    public Array Data { get; }

    private HostTensor(Array data, DType dtype, Shape shape)
    {
        if (!shape.IsFullyDefined) throw new ArgumentException($"a host tensor needs a fully defined shape, got {shape}");
        if (data.Length != shape.Size)
            throw new ArgumentException($"data has {data.Length} elements but shape {shape} needs {shape.Size}");
        Data = data;
        DType = dtype;
        Shape = shape;
    }

    public static HostTensor From(float[] data, params int[] shape) => new(data, DType.Float32, new Shape(shape));
    public static HostTensor From(double[] data, params int[] shape) => new(data, DType.Float64, new Shape(shape));
    public static HostTensor From(int[] data, params int[] shape) => new(data, DType.Int32, new Shape(shape));
    public static HostTensor From(bool[] data, params int[] shape) => new(data, DType.Bool, new Shape(shape));
    public static HostTensor Scalar(float v) => From([v]);
    public static HostTensor Scalar(double v) => From([v]);
    public static HostTensor Scalar(int v) => From([v]);

    public static HostTensor Zeros(DType dtype, Shape shape) => dtype switch
    {
        DType.Float32 => new(new float[shape.Size], dtype, shape),
        DType.Float64 => new(new double[shape.Size], dtype, shape),
        DType.Int32 => new(new int[shape.Size], dtype, shape),
        DType.Bool => new(new bool[shape.Size], dtype, shape),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    public int Size => Data.Length;

    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (DType != DTypeExtensions.Of<T>())
            throw new InvalidOperationException($"tensor holds {DType.Name()}, not {DTypeExtensions.Of<T>().Name()}");
        return (T[])Data;
    }

    /// <summary>The raw little-endian bytes of the elements (bool as one byte each).</summary>
    public Span<byte> AsBytes() => DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(((float[])Data).AsSpan()),
        DType.Float64 => MemoryMarshal.AsBytes(((double[])Data).AsSpan()),
        DType.Int32 => MemoryMarshal.AsBytes(((int[])Data).AsSpan()),
        DType.Bool => MemoryMarshal.AsBytes(((bool[])Data).AsSpan()),
        _ => throw new InvalidOperationException(),
    };

    public float[] ToFloatArray() => (float[])Data;
    public int[] ToIntArray() => (int[])Data;

    /// <summary>The single value of a one-element tensor, as a double.</summary>
    public double ScalarValue() => Size != 1
        ? throw new InvalidOperationException($"tensor of shape {Shape} is not a scalar")
        : DType switch
        {
            DType.Float32 => ((float[])Data)[0],
            DType.Float64 => ((double[])Data)[0],
            DType.Int32 => ((int[])Data)[0],
            DType.Bool => ((bool[])Data)[0] ? 1 : 0,
            _ => throw new InvalidOperationException(),
        };

    public override string ToString() => $"HostTensor({DType.Name()}, {Shape})";
}
