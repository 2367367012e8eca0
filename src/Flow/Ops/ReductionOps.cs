namespace Flow;

// Reductions over axes, the arg-max, and BroadcastReduced (the inverse of a reduction's shape change,
// which is the gradient of ReduceSum and vice versa).

public static partial class Tf
{
    internal static readonly OpDef ReduceSumDef = new("ReduceSum", InferReduce,
        (op, dy) => [BroadcastReduced(dy[0]!, op.Inputs[0], op)]);

    internal static readonly OpDef ReduceMeanDef = new("ReduceMean", InferReduce, (op, dy) =>
    {
        var dt = op.Inputs[0].DType;
        var count = Cast(Size(op.Inputs[0]), dt) / Cast(Size(op.Outputs[0]), dt);
        return [BroadcastReduced(dy[0]!, op.Inputs[0], op) / count];
    });

    // The gradient goes to every element equal to the maximum, split evenly between ties (TF's rule).
    internal static readonly OpDef ReduceMaxDef = new("ReduceMax", InferReduce, (op, dy) =>
    {
        var x = op.Inputs[0];
        var isMax = Cast(Equal(x, BroadcastReduced(op.Outputs[0], x, op)), x.DType);
        var ties = BroadcastReduced(ReduceSum(isMax, op.Attr<int[]?>("axes"), op.Attr<bool>("keep_dims")), x, op);
        return [BroadcastReduced(dy[0]!, x, op) * isMax / ties];
    });

    internal static readonly OpDef BroadcastReducedDef = new("BroadcastReduced", (op, s) => [s[1]],
        (op, dy) => [ReduceSum(dy[0]!, op.Attr<int[]?>("axes"), op.Attr<bool>("keep_dims")), null]);

    internal static readonly OpDef ArgMaxDef = OpDef.NoGradient("ArgMax", InferArgMax);

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

    /// <summary>Index of the largest value along an axis, as int32 (first one on ties).</summary>
    public static Tensor ArgMax(Tensor x, int axis, string? name = null) =>
        x.Graph.AddOp(ArgMaxDef, name, [x], [DType.Int32], new() { ["axis"] = axis }).Output;

    /// <summary>Repeats dy (the result of reducing `like` as `reduction` did) back over like's shape.</summary>
    private static Tensor BroadcastReduced(Tensor dy, Tensor like, Operation reduction) =>
        dy.Graph.AddOp(BroadcastReducedDef, null, [dy, like], [dy.DType],
            new() { ["axes"] = reduction.Attr<int[]?>("axes")!, ["keep_dims"] = reduction.Attr<bool>("keep_dims") }).Output;

    private static Tensor Reduce(OpDef def, Tensor x, int[]? axes, bool keepDims, string? name)
    {
        if (!x.DType.IsFloating() && def != ReduceSumDef)
            throw new ArgumentException($"{def.Type}: needs a floating-point input, got {x.Name} of type {x.DType.Name()}");
        return x.Graph.AddOp(def, name, [x], [x.DType], new() { ["axes"] = axes!, ["keep_dims"] = keepDims }).Output;
    }

    /// <summary>The reduced axes of an op with "axes" (null: all) for an input of the given rank.</summary>
    internal static bool[] ReducedAxes(Operation op, int rank)
    {
        var reduced = new bool[rank];
        var axes = op.Attr<int[]?>("axes");
        if (axes is null) Array.Fill(reduced, true);
        else foreach (var a in ShapeRules.NormalizeAxes(op, axes, rank)) reduced[a] = true;
        return reduced;
    }

    private static Shape[] InferReduce(Operation op, Shape[] s)
    {
        var reduced = ReducedAxes(op, s[0].Rank);
        bool keep = op.Attr<bool>("keep_dims");
        var dims = new List<int>();
        for (int i = 0; i < s[0].Rank; i++)
            if (!reduced[i]) dims.Add(s[0][i]);
            else if (keep) dims.Add(1);
        return [new Shape(dims.ToArray())];
    }

    private static Shape[] InferArgMax(Operation op, Shape[] s)
    {
        int axis = ShapeRules.NormalizeAxes(op, [op.Attr<int>("axis")], s[0].Rank)[0];
        return [new Shape(s[0].Dims.ToArray().Where((_, i) => i != axis).ToArray())];
    }
}
