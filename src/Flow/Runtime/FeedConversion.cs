using System.Numerics;

namespace Flow;

/// <summary>
/// Checks a fed value against the tensor it replaces and converts its element type where TensorFlow's feed
/// does (<c>session.run</c> converts with <c>np.asarray(value, dtype)</c>): float64 → float32 (rounded, as TF
/// rounds a Python float), float32 → float64 and int32 → float32/float64. A float or bool is never fed to an
/// integer tensor, nor anything to a bool one: those would lose or invent meaning, so they are refused.
/// </summary>
internal static class FeedConversion
{
    /// <summary>The value itself when its type already matches (no copy), else a converted copy.</summary>
    /// <exception cref="FeedException">The shape does not fit the tensor's, or the type cannot be converted.</exception>
    public static HostTensor Conform(Tensor t, HostTensor value)
    {
        if (!t.Shape.IsCompatibleWith(value.Shape))
            throw new FeedException($"{Describe(t)} has shape {t.Shape} but the fed value has shape {value.Shape}");
        if (value.DType == t.DType) return value;
        return (value.DType, t.DType) switch
        {
            (DType.Float64, DType.Float32) => Convert<double, float>(value, t.DType),
            (DType.Float32, DType.Float64) => Convert<float, double>(value, t.DType),
            (DType.Int32, DType.Float32) => Convert<int, float>(value, t.DType),
            (DType.Int32, DType.Float64) => Convert<int, double>(value, t.DType),
            _ => throw new FeedException($"{Describe(t)} expects {t.DType.Name()} but the feed is {value.DType.Name()}, which does not convert to it"),
        };
    }

    private static string Describe(Tensor t) =>
        t.Op.Def == Graph.PlaceholderDef ? $"placeholder '{t.Op.Name}'" : $"fed tensor '{t.Name}' ({t.Op.Type})";

    private static HostTensor Convert<TFrom, TTo>(HostTensor value, DType to)
        where TFrom : unmanaged, INumberBase<TFrom> where TTo : unmanaged, INumberBase<TTo>
    {
        var result = HostTensor.Zeros(to, value.Shape);
        var source = value.AsSpan<TFrom>();
        var target = result.AsSpan<TTo>();
        for (int i = 0; i < source.Length; i++) target[i] = TTo.CreateTruncating(source[i]);
        return result;
    }
}
