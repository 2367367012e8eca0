namespace Flow;

public static partial class Tf
{
    public static readonly OpDef MatMulDef = new("MatMul", InferMatMul, MatMulGrad) { AttributesType = typeof(MatMulAttributes) };

    /// <summary>op(a)·op(b) for rank-2 tensors; op transposes when the flag is set.</summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false, string? name = null)
    {
        CheckSameType(MatMulDef, a, b);
        return a.Graph.AddOp(MatMulDef, name, [a, b], [a.DType], new MatMulAttributes(transposeA, transposeB)).Output;
    }

    private static Shape[] InferMatMul(Operation op, Shape[] s)
    {
        var (ta, tb) = op.Attrs<MatMulAttributes>();
        if (s[0].Rank != 2 || s[1].Rank != 2)
            throw new ShapeException($"MatMul '{op.Name}': needs rank-2 inputs, got {s[0]} and {s[1]}");
        int m = ta ? s[0][1] : s[0][0], ka = ta ? s[0][0] : s[0][1];
        int kb = tb ? s[1][1] : s[1][0], n = tb ? s[1][0] : s[1][1];
        if (ka != kb && ka != Shape.Unknown && kb != Shape.Unknown)
            throw new ShapeException($"MatMul '{op.Name}': inner dimensions differ: {s[0]}{(ta ? "ᵀ" : "")} × {s[1]}{(tb ? "ᵀ" : "")}");
        return [new Shape(m, n)];
    }

    // C = op(A)·op(B): each input's gradient is again a MatMul of dC with the other input (TF's _MatMulGrad).
    private static Tensor?[] MatMulGrad(Operation op, Tensor?[] dy)
    {
        Tensor a = op.Inputs[0], b = op.Inputs[1], g = dy[0]!;
        var t = op.Attrs<MatMulAttributes>();
        return (t.TransposeA, t.TransposeB) switch
        {
            (false, false) => [MatMul(g, b, transposeB: true), MatMul(a, g, transposeA: true)],
            (false, true) => [MatMul(g, b), MatMul(g, a, transposeA: true)],
            (true, false) => [MatMul(b, g, transposeB: true), MatMul(a, g)],
            (true, true) => [MatMul(b, g, true, true), MatMul(g, a, true, true)],
        };
    }
}
