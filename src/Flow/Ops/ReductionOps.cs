namespace Flow;

// Reductions over axes, the arg-max, and BroadcastReduced (the inverse of a reduction's shape change,
// which is the gradient of ReduceSum and vice versa).

public static partial class Tf
{
    public static readonly OpDef ReduceSumDef = new("ReduceSum", InferReduce,
        (op, dy) => [BroadcastReduced(dy[0]!, op.Inputs[0], op)]) { AttributesType = typeof(ReduceAttributes) };

    public static readonly OpDef ReduceMeanDef = new("ReduceMean", InferReduce, (op, dy) =>
    {
        var dt = op.Inputs[0].DType;
        var count = Cast(Size(op.Inputs[0]), dt) / Cast(Size(op.Outputs[0]), dt);
        return [BroadcastReduced(dy[0]!, op.Inputs[0], op) / count];
    }) { AttributesType = typeof(ReduceAttributes) };

    public static readonly OpDef ReduceMaxDef = new("ReduceMax", InferReduce, ExtremumGradient) { AttributesType = typeof(ReduceAttributes) };
    public static readonly OpDef ReduceMinDef = new("ReduceMin", InferReduce, ExtremumGradient) { AttributesType = typeof(ReduceAttributes) };

    public static readonly OpDef BroadcastReducedDef = new("BroadcastReduced", (op, s) => [s[1]],
        (op, dy) => [Reduce(ReduceSumDef, dy[0]!, op.Attrs<ReduceAttributes>(), null), null]) { AttributesType = typeof(ReduceAttributes) };

    public static readonly OpDef ArgMaxDef = new("ArgMax", InferArgMax, null)
    { NotDifferentiable = true, AttributesType = typeof(AxisAttributes) };

    /// <param name="axes">Axes to reduce (negative from the end); null reduces all.</param>
    public static Tensor ReduceSum(Tensor x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        Reduce(ReduceSumDef, x, axes, keepDims, name);
    public static Tensor ReduceSum(Tensor x, int axis, bool keepDims = false) => ReduceSum(x, [axis], keepDims);

    public static Tensor ReduceMean(Tensor x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        Reduce(ReduceMeanDef, x, axes, keepDims, name);
    public static Tensor ReduceMean(Tensor x, int axis, bool keepDims = false) => ReduceMean(x, [axis], keepDims);

    public static Tensor ReduceMax(Tensor x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        Reduce(ReduceMaxDef, x, axes, keepDims, name);
    public static Tensor ReduceMax(Tensor x, int axis, bool keepDims = false) => ReduceMax(x, [axis], keepDims);

    public static Tensor ReduceMin(Tensor x, int[]? axes = null, bool keepDims = false, string? name = null) =>
        Reduce(ReduceMinDef, x, axes, keepDims, name);
    public static Tensor ReduceMin(Tensor x, int axis, bool keepDims = false) => ReduceMin(x, [axis], keepDims);

    /// <summary>Index of the largest value along an axis, as int32 (first one on ties).</summary>
    public static Tensor ArgMax(Tensor x, int axis, string? name = null) =>
        x.Graph.AddOp(ArgMaxDef, name, [x], [DType.Int32], new AxisAttributes(axis)).Output;

    // ReduceMax's and ReduceMin's: the gradient goes to every element equal to the result, split evenly between ties (TF's rule).
    private static Tensor?[] ExtremumGradient(Operation op, Tensor?[] dy)
    {
        var x = op.Inputs[0];
        var isExtremum = Cast(Equal(x, BroadcastReduced(op.Outputs[0], x, op)), x.DType);
        var ties = BroadcastReduced(Reduce(ReduceSumDef, isExtremum, op.Attrs<ReduceAttributes>(), null), x, op);
        return [BroadcastReduced(dy[0]!, x, op) * isExtremum / ties];
    }

    /// <summary>Repeats dy (the result of reducing `like` as `reduction` did) back over like's shape.</summary>
    private static Tensor BroadcastReduced(Tensor dy, Tensor like, Operation reduction) =>
        dy.Graph.AddOp(BroadcastReducedDef, null, [dy, like], [dy.DType], reduction.Attrs<ReduceAttributes>()).Output;

    private static Tensor Reduce(OpDef def, Tensor x, int[]? axes, bool keepDims, string? name) =>
        Reduce(def, x, new ReduceAttributes(axes is null ? null : (int[])axes.Clone(), keepDims), name);

    private static Tensor Reduce(OpDef def, Tensor x, ReduceAttributes attributes, string? name)
    {
        if (!x.DType.IsFloating() && def != ReduceSumDef)
            throw new ArgumentException($"{def.Type}: needs a floating-point input, got {x.Name} of type {x.DType.Name()}");
        return x.Graph.AddOp(def, name, [x], [x.DType], attributes).Output;
    }

    private static Shape[] InferReduce(Operation op, Shape[] s)
    {
        var a = op.Attrs<ReduceAttributes>();
        if (a.Axes is not null) ShapeRules.NormalizeAxes(op, a.Axes, s[0].Rank);
        var reduced = a.Reduced(s[0].Rank);
        bool keep = a.KeepDims;
        var dims = new List<int>();
        for (int i = 0; i < s[0].Rank; i++)
            if (!reduced[i]) dims.Add(s[0][i]);
            else if (keep) dims.Add(1);
        return [new Shape(dims.ToArray())];
    }

    private static Shape[] InferArgMax(Operation op, Shape[] s)
    {
        int axis = ShapeRules.NormalizeAxes(op, [op.Attrs<AxisAttributes>().Axis], s[0].Rank)[0];
        return [new Shape(s[0].Dims.ToArray().Where((_, i) => i != axis).ToArray())];
    }
}
