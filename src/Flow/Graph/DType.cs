namespace Flow;

/// <summary>Element types of graph tensors.</summary>
public enum DType
{
    Float32,
    Float64,
    Int32,
    Bool,
}

public static class DTypeExtensions
{
    public static int Size(this DType t) => t switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int32 => 4,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static bool IsFloating(this DType t) => t is DType.Float32 or DType.Float64;

    public static string Name(this DType t) => t switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int32 => "int32",
        DType.Bool => "bool",
        _ => t.ToString(),
    };

    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        typeof(T) == typeof(bool) ? DType.Bool :
        throw new NotSupportedException($"no DType for {typeof(T).Name}");
}
