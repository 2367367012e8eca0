namespace Flow;

// Concat joins tensors along one axis; its gradient cuts dy back into the inputs' extents along that axis
// (ConcatSlice, TF's Slice at ConcatOffset). ConcatSlice is linear in dy: its own gradient places g at the
// slice's place among zeros, which is a Concat again.
//   y = Concat([x0 .. xn−1], axis)          [.., Σ ki, ..]
//   dxi = ConcatSlice(dy, x0 .. xn−1; i)    the ki rows of dy along axis after those of x0 .. xi−1

public static partial class Tf
{
    public static readonly OpDef ConcatDef = new("Concat", InferConcat,
        (op, dy) => [.. op.Inputs.Select((_, i) => ConcatSlice(dy[0]!, op.Inputs, op.Attrs<AxisAttributes>().Axis, i))])
    { AttributesType = typeof(AxisAttributes) };

    public static readonly OpDef ConcatSliceDef = new("ConcatSlice", InferConcatSlice, (op, dy) =>
    {
        var a = op.Attrs<ConcatSliceAttributes>();
        var parts = op.Inputs.Skip(1).Select((x, i) => i == a.Index ? dy[0]! : ZerosLike(x)).ToArray();
        return [Concat(parts, a.Axis), .. op.Inputs.Skip(1).Select(_ => (Tensor?)null)];
    }) { AttributesType = typeof(ConcatSliceAttributes) };

    /// <summary>Joins tensors of one type and rank along <paramref name="axis"/> (negative from the end); the other dims must agree.</summary>
    public static Tensor Concat(Tensor[] values, int axis, string? name = null)
    {
        if (values.Length == 0) throw new ArgumentException("Concat: needs at least one tensor");
        foreach (var v in values.Skip(1)) CheckSameType(ConcatDef, values[0], v);
        return values[0].Graph.AddOp(ConcatDef, name, values, [values[0].DType], new AxisAttributes(axis)).Output;
    }

    internal static Tensor ConcatSlice(Tensor dy, IReadOnlyList<Tensor> parts, int axis, int index) =>
        dy.Graph.AddOp(ConcatSliceDef, null, [dy, .. parts], [dy.DType], new ConcatSliceAttributes(axis, index)).Output;

    private static Shape[] InferConcat(Operation op, Shape[] s) => [JoinedShape(op, s, op.Attrs<AxisAttributes>().Axis)];

    // Inputs (dy, x0 .. xn−1): dy must be the x's joined shape; the result has x_index's.
    private static Shape[] InferConcatSlice(Operation op, Shape[] s)
    {
        var a = op.Attrs<ConcatSliceAttributes>();
        var joined = JoinedShape(op, s[1..], a.Axis);
        if (!joined.IsCompatibleWith(s[0]))
            throw new ShapeException($"{op.Type} '{op.Name}': gradient {s[0]} is not the joined shape {joined}");
        return [s[1 + a.Index]];
    }

    // The shape of the x's joined along axis: equal rank, equal dims off the axis (an unknown one takes the known),
    // summed along it (unknown if any part is).
    private static Shape JoinedShape(Operation op, Shape[] s, int axisAttr)
    {
        int rank = s[0].Rank;
        if (rank == 0) throw new ShapeException($"{op.Type} '{op.Name}': cannot join scalars; reshape them to [1] first");
        int axis = ShapeRules.NormalizeAxes(op, [axisAttr], rank)[0];
        var dims = s[0].ToArray();
        for (int i = 1; i < s.Length; i++)
        {
            if (s[i].Rank != rank)
                throw new ShapeException($"{op.Type} '{op.Name}': input {i} has shape {s[i]}, input 0 {s[0]} (ranks differ)");
            for (int d = 0; d < rank; d++)
            {
                int other = s[i][d];
                if (d == axis) dims[d] = dims[d] == Shape.Unknown || other == Shape.Unknown ? Shape.Unknown : dims[d] + other;
                else if (dims[d] == Shape.Unknown) dims[d] = other;
                else if (other != Shape.Unknown && other != dims[d])
                    throw new ShapeException($"{op.Type} '{op.Name}': input {i} has shape {s[i]}, input 0 {s[0]}: only axis {axis} may differ");
            }
        }
        return new Shape(dims);
    }
}
