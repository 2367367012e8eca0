using System.Numerics;

namespace Flow.Backends.Cpu;

// Sigmoid and tanh as operator structs for the element-wise unary kernels: the scalar forms (T.Exp, T.Tanh)
// are the reference, the vector forms use .NET's vector exp and agree with them to a few ulps.

internal struct SigmoidOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // 1 / (1 + e^−x): e^−x overflows to +∞ for very negative x, which gives exactly 0, as the limit is.
    public static T Apply(T x) => T.One / (T.One + T.Exp(-x));
    public static bool HasVector => true;
    public static Vector<T> Apply(Vector<T> x) => Vector<T>.One / (Vector<T>.One + VectorMath.Exp(-x));
}

internal struct TanhOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tanh(x);
    // Only float32 has a vector form: its series near 0 is exact to float precision, double's would need ~20 terms.
    public static bool HasVector => typeof(T) == typeof(float);
    public static Vector<T> Apply(Vector<T> x) => VectorMath.TanhSingle(x.As<T, float>()).As<float, T>();
}

internal static class VectorMath
{
    public static Vector<T> Exp<T>(Vector<T> x) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector.Exp(x.As<T, float>()).As<float, T>() : Vector.Exp(x.As<T, double>()).As<double, T>();

    /// <summary>
    /// tanh |x| = (1 − e)/(1 + e) with e = e^−2|x| where |x| ≥ 0.25 (no cancellation there: e ≤ 0.61), and its
    /// Taylor series to x⁹ below (the next term is under 1e−8 relative); the sign of x restored last.
    /// </summary>
    public static Vector<float> TanhSingle(Vector<float> x)
    {
        var a = Vector.Abs(x);
        var e = Vector.Exp(a * new Vector<float>(-2f));
        var far = (Vector<float>.One - e) / (Vector<float>.One + e);
        var a2 = a * a;
        var series = a * (Vector<float>.One + a2 * (new Vector<float>(-1f / 3) + a2 * (new Vector<float>(2f / 15)
            + a2 * (new Vector<float>(-17f / 315) + a2 * new Vector<float>(62f / 2835)))));
        var t = Vector.ConditionalSelect(Vector.LessThan(a, new Vector<float>(0.25f)), series, far);
        // Copy x's sign bit onto |tanh|: NaN stays NaN and −0 stays −0.
        var sign = Vector.AsVectorUInt32(x) & new Vector<uint>(0x8000_0000u);
        return Vector.AsVectorSingle(Vector.AsVectorUInt32(t) | sign);
    }
}
