namespace Flow;

// Array ops: sources (placeholder, constant), identity, stop-gradient, placeholder-with-default, reshape, cast,
// fills, and the broadcast pair SumTo / BroadcastLike that the gradient builder uses to undo NumPy broadcasting.

public sealed partial class Graph
{
    public static readonly OpDef PlaceholderDef = new("Placeholder",
        (op, _) => [op.Attrs<ShapeAttributes>().Shape], null) { NotDifferentiable = true, AttributesType = typeof(ShapeAttributes), RunsKernel = false };

    public static readonly OpDef ConstDef = new("Const",
        (op, _) => [op.Attrs<ConstAttributes>().Value.Shape], null) { NotDifferentiable = true, AttributesType = typeof(ConstAttributes), RunsKernel = false };

    /// <summary>A value supplied at run time through the feed; unknown dims are -1 (e.g. [-1, 784]).</summary>
    public Tensor Placeholder(DType dtype, Shape shape, string? name = null) =>
        AddOp(PlaceholderDef, name ?? "Placeholder", [], [dtype], new ShapeAttributes(shape)).Output;

    public Tensor Constant(HostTensor value, string? name = null) =>
        AddOp(ConstDef, name ?? "Const", [], [value.DType], new ConstAttributes(value)).Output;

    public Tensor Constant(float[] values, params int[] shape) => Constant(HostTensor.From(values, shape.Length == 0 ? [values.Length] : shape));
    public Tensor Constant(int[] values, params int[] shape) => Constant(HostTensor.From(values, shape.Length == 0 ? [values.Length] : shape));

    /// <summary>A scalar constant of the given floating or integer type.</summary>
    public Tensor Scalar(double value, DType dtype = DType.Float32) => Constant(dtype switch
    {
        DType.Float32 => HostTensor.Scalar((float)value),
        DType.Float64 => HostTensor.Scalar(value),
        DType.Int32 => HostTensor.Scalar(checked((int)value)),
        _ => throw new ArgumentException($"no scalar constant of type {dtype.Name()}"),
    });

    // A tensor of one repeated value, computed when it runs (tf.fill): a large zeros or ones (an optimizer's
    // slots, a bias initial value) then holds no copy of itself in the graph nor a constant buffer in a plan.
    public static readonly OpDef FillDef = new("Fill",
        (op, _) => [op.Attrs<FillAttributes>().Shape], null) { NotDifferentiable = true, AttributesType = typeof(FillAttributes) };

    /// <summary>Fills below this many elements are constants; larger ones a Fill op (TF's tf.zeros makes the same split).</summary>
    public const int SmallFillSize = 1000;

    /// <summary>A tensor of <paramref name="shape"/> whose every element is <paramref name="value"/> (tf.fill).</summary>
    public Tensor Fill(Shape shape, double value, DType dtype = DType.Float32)
    {
        if (!shape.IsFullyDefined) throw new ShapeException($"Fill: the shape {shape} must be fully known");
        if (dtype is not (DType.Float32 or DType.Float64 or DType.Int32)) throw new ArgumentException($"cannot fill a {dtype.Name()} tensor with {value}");
        if (dtype == DType.Int32) value = checked((int)value);
        if (shape.Size >= SmallFillSize) return AddOp(FillDef, "Fill", [], [dtype], new FillAttributes(shape, value)).Output;
        var t = HostTensor.Zeros(dtype, shape);
        switch (dtype)
        {
            case DType.Float32: t.AsSpan<float>().Fill((float)value); break;
            case DType.Float64: t.AsSpan<double>().Fill(value); break;
            default: t.AsSpan<int>().Fill((int)value); break;
        }
        return Constant(t);
    }

    public Tensor Zeros(Shape shape, DType dtype = DType.Float32) => Fill(shape, 0, dtype);
    public Tensor Ones(Shape shape, DType dtype = DType.Float32) => Fill(shape, 1, dtype);
}

public static partial class Tf
{
    public static readonly OpDef IdentityDef = new("Identity", ShapeRules.SameAsInput0,
        (op, dy) => [dy[0]]);

    // A view of its input that the gradient builder does not pass through (tf.stop_gradient).
    public static readonly OpDef StopGradientDef = new("StopGradient", ShapeRules.SameAsInput0, null)
    { NotDifferentiable = true, AliasesInput = 0, RunsKernel = false };

    // Its input unless fed: a view of the default value, recorded with the declared (possibly less specific)
    // shape. Feeding it replaces it as feeding any tensor does; unfed, the default's gradient flows through.
    public static readonly OpDef PlaceholderWithDefaultDef = new("PlaceholderWithDefault", InferWithDefault,
        (op, dy) => [dy[0]]) { AliasesInput = 0, RunsKernel = false, AttributesType = typeof(ShapeAttributes), InferBuildShapes = InferWithDefaultDeclared };

    public static readonly OpDef ReshapeDef = new("Reshape", InferReshape,
        (op, dy) => [ReshapeLike(dy[0]!, op.Inputs[0])]) { AliasesInput = 0, AttributesType = typeof(ShapeAttributes), RunsKernel = false };

    // Reshape to the (concrete at run time) shape of another tensor: the gradient of Reshape.
    public static readonly OpDef ReshapeLikeDef = new("ReshapeLike", InferReshapeLike,
        (op, dy) => [ReshapeLike(dy[0]!, op.Inputs[0]), null]) { AliasesInput = 0, RunsKernel = false };

    public static readonly OpDef CastDef = new("Cast", ShapeRules.SameAsInput0,
        (op, dy) => op.Inputs[0].DType.IsFloating() ? [Cast(dy[0]!, op.Inputs[0].DType)] : [null]) { AttributesType = typeof(CastAttributes) };

    public static readonly OpDef ZerosLikeDef = OpDef.NoGradient("ZerosLike", ShapeRules.SameAsInput0);
    public static readonly OpDef OnesLikeDef = OpDef.NoGradient("OnesLike", ShapeRules.SameAsInput0);
    public static readonly OpDef SizeDef = OpDef.NoGradient("Size", ShapeRules.Scalar);

    // SumTo(x, like): sums x over the axes along which `like` was broadcast to x's shape. Its shape function
    // refuses an x that `like` does not broadcast to: that is the gradient builder's check of every rule.
    public static readonly OpDef SumToDef = new("SumTo", InferSumTo,
        (op, dy) => [BroadcastLike(dy[0]!, op.Inputs[0]), null]);

    // BroadcastLike(x, like): NumPy-broadcasts x to like's shape.
    public static readonly OpDef BroadcastLikeDef = new("BroadcastLike", InferBroadcastLike,
        (op, dy) => [SumTo(dy[0]!, op.Inputs[0]), null]);

    public static Tensor Identity(Tensor x, string? name = null) =>
        x.Graph.AddOp(IdentityDef, name, [x], [x.DType]).Output;

    /// <summary>Stops gradients: the gradient builder treats x as a constant here (tf.stop_gradient).</summary>
    public static Tensor StopGradient(Tensor x, string? name = null) =>
        x.Graph.AddOp(StopGradientDef, name, [x], [x.DType]).Output;

    /// <summary>
    /// A placeholder that need not be fed (tf.placeholder_with_default): <paramref name="defaultValue"/> unless
    /// the run feeds it, e.g. a keep probability of 1 that training feeds 0.5. <paramref name="shape"/> may be less
    /// specific than the default's (-1 for a batch dimension).
    /// </summary>
    public static Tensor PlaceholderWithDefault(Tensor defaultValue, Shape shape, string? name = null) =>
        defaultValue.Graph.AddOp(PlaceholderWithDefaultDef, name ?? "PlaceholderWithDefault", [defaultValue], [defaultValue.DType],
            new ShapeAttributes(shape)).Output;

    /// <summary>Reshape with a static target; one dimension may be -1 and is inferred from the size.</summary>
    public static Tensor Reshape(Tensor x, Shape shape, string? name = null) =>
        x.Graph.AddOp(ReshapeDef, name, [x], [x.DType], new ShapeAttributes(shape)).Output;

    internal static Tensor ReshapeLike(Tensor x, Tensor like) =>
        x.Shape.Equals(like.Shape) && x.Shape.IsFullyDefined ? x
            : x.Graph.AddOp(ReshapeLikeDef, "ReshapeLike", [x, like], [x.DType]).Output;

    public static Tensor Cast(Tensor x, DType dtype, string? name = null) =>
        x.DType == dtype ? x : x.Graph.AddOp(CastDef, name, [x], [dtype], new CastAttributes(dtype)).Output;

    public static Tensor ZerosLike(Tensor x) => x.Graph.AddOp(ZerosLikeDef, null, [x], [x.DType]).Output;
    public static Tensor OnesLike(Tensor x) => x.Graph.AddOp(OnesLikeDef, null, [x], [x.DType]).Output;

    /// <summary>The number of elements of x as an int32 scalar, known at run time.</summary>
    public static Tensor Size(Tensor x) => x.Graph.AddOp(SizeDef, null, [x], [DType.Int32]).Output;

    /// <summary>Reduces x to like's shape by summing the broadcast axes (inverse of broadcasting).</summary>
    public static Tensor SumTo(Tensor x, Tensor like) =>
        x.Graph.AddOp(SumToDef, null, [x, like], [x.DType]).Output;

    public static Tensor BroadcastLike(Tensor x, Tensor like) =>
        x.Graph.AddOp(BroadcastLikeDef, null, [x, like], [x.DType]).Output;

    private static Shape[] InferSumTo(Operation op, Shape[] s)
    {
        var b = Shape.TryBroadcast(s[0], s[1]);
        if (b is null || s[1].Rank > s[0].Rank || !s[0].IsCompatibleWith(b))
            throw new ShapeException($"SumTo '{op.Name}': {s[0]} cannot be summed to {s[1]} ({s[1]} does not broadcast to {s[0]})");
        return [s[1]];
    }

    // ReshapeLike's input and its like must hold the same number of elements (known at plan time).
    private static Shape[] InferReshapeLike(Operation op, Shape[] s)
    {
        if (s[0].IsFullyDefined && s[1].IsFullyDefined && s[0].Size != s[1].Size)
            throw new ShapeException($"ReshapeLike '{op.Name}': cannot reshape {s[0]} to {s[1]}");
        return [s[1]];
    }

    private static Shape[] InferBroadcastLike(Operation op, Shape[] s)
    {
        var b = Shape.TryBroadcast(s[0], s[1]);
        if (b is null || b.Rank != s[1].Rank)
            throw new ShapeException($"BroadcastLike '{op.Name}': {s[0]} cannot be broadcast to {s[1]}");
        return [s[1]];
    }

    private static Shape[] InferWithDefault(Operation op, Shape[] s) =>
        op.Attrs<ShapeAttributes>().Shape.IsCompatibleWith(s[0]) ? [s[0]]
            : throw new ShapeException($"PlaceholderWithDefault '{op.Name}': the default's shape {s[0]} does not fit the declared {op.Attrs<ShapeAttributes>().Shape}");

    // At build time: the same check, and the declared shape.
    private static Shape[] InferWithDefaultDeclared(Operation op, Shape[] s)
    {
        InferWithDefault(op, s);
        return [op.Attrs<ShapeAttributes>().Shape];
    }

    private static Shape[] InferReshape(Operation op, Shape[] s)
    {
        var target = op.Attrs<ShapeAttributes>().Shape.ToArray();
        int unknown = Array.IndexOf(target, -1);
        if (unknown >= 0 && Array.LastIndexOf(target, -1) != unknown)
            throw new ShapeException($"Reshape '{op.Name}': at most one -1 is allowed in {new Shape(target)}");
        long known = 1;
        foreach (var d in target) if (d != -1) known *= d;
        if (!s[0].IsFullyDefined)
            return [new Shape(target)];
        int size = s[0].Size;
        if (unknown >= 0)
        {
            if (known == 0 || size % known != 0)
                throw new ShapeException($"Reshape '{op.Name}': cannot reshape {s[0]} ({size} elements) to {new Shape(target)}");
            target[unknown] = (int)(size / known);
        }
        else if (known != size)
            throw new ShapeException($"Reshape '{op.Name}': cannot reshape {s[0]} ({size} elements) to {new Shape(target)} ({known} elements)");
        return [new Shape(target)];
    }
}
