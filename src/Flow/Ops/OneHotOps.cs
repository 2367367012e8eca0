namespace Flow;

// OneHot turns int32 indices into vectors of `depth` along a new axis: on where the position equals the
// index, off elsewhere (an index outside [0, depth) gives a row of off values, as in TF). Indices are
// integers, so no gradient flows.

public static partial class Tf
{
    public static readonly OpDef OneHotDef = new("OneHot", InferOneHot, null)
    { NotDifferentiable = true, AttributesType = typeof(OneHotAttributes) };

    /// <summary>tf.one_hot: indices [..] → [.., depth] (or depth inserted at <paramref name="axis"/>) of <paramref name="dtype"/>.</summary>
    public static Tensor OneHot(Tensor indices, int depth, double onValue = 1, double offValue = 0, int axis = -1,
        DType dtype = DType.Float32, string? name = null)
    {
        if (indices.DType != DType.Int32)
            throw new ArgumentException($"OneHot: indices {indices.Name} must be int32, got {indices.DType.Name()}");
        if (depth < 0) throw new ArgumentOutOfRangeException(nameof(depth), $"OneHot: depth {depth} is negative");
        if (dtype == DType.Bool) throw new ArgumentException("OneHot: the output must be a numeric type, not bool");
        return indices.Graph.AddOp(OneHotDef, name, [indices], [dtype], new OneHotAttributes(depth, onValue, offValue, axis)).Output;
    }

    private static Shape[] InferOneHot(Operation op, Shape[] s)
    {
        var a = op.Attrs<OneHotAttributes>();
        int rank = s[0].Rank + 1;
        if (a.Axis < -1 || a.Axis >= rank)
            throw new ShapeException($"OneHot '{op.Name}': axis {a.Axis} is out of range for indices {s[0]} (−1 or 0..{rank - 1})");
        var dims = s[0].ToArray().ToList();
        dims.Insert(a.For(rank), a.Depth);
        return [new Shape(dims.ToArray())];
    }
}
