namespace Flow;

// Max pooling over NHWC windows. The gradient routes each dy to its window's argmax: the first cell, in
// row-major window order, equal to the window's max (padding cells never win). Both routing ops are linear
// in their last input and each other's transpose, so they differentiate into one another; through the
// argmax choice (input and output) the gradient is zero almost everywhere, so none flows.
//   y   = MaxPool(x)                 dx = MaxPoolGrad(x, y, dy)          [N, H, W, C]
//   dx  = MaxPoolGrad(x, y, dy)      scatters dy [N, OH, OW, C] to the argmaxes
//   ddy = MaxPoolGradGrad(x, y, g)   gathers g [N, H, W, C] at the argmaxes into [N, OH, OW, C]

public static partial class Tf
{
    public static readonly OpDef MaxPoolDef = new("MaxPool", InferMaxPool,
        (op, dy) => [Route(scatter: true, op.Inputs[0], op.Outputs[0], dy[0]!, op.Attrs<PoolAttributes>())])
    { AttributesType = typeof(PoolAttributes) };

    public static readonly OpDef MaxPoolGradDef = new("MaxPoolGrad", (op, s) => InferPoolRouting(op, s, scatter: true),
        (op, dy) => [null, null, Route(scatter: false, op.Inputs[0], op.Inputs[1], dy[0]!, op.Attrs<PoolAttributes>())])
    { AttributesType = typeof(PoolAttributes) };

    public static readonly OpDef MaxPoolGradGradDef = new("MaxPoolGradGrad", (op, s) => InferPoolRouting(op, s, scatter: false),
        (op, dy) => [null, null, Route(scatter: true, op.Inputs[0], op.Inputs[1], dy[0]!, op.Attrs<PoolAttributes>())])
    { AttributesType = typeof(PoolAttributes) };

    /// <summary>Max over kh×kw windows of an NHWC input [N, H, W, C], giving [N, OH, OW, C].</summary>
    /// <param name="ksize">[kh, kw] or TF's NHWC [1, kh, kw, 1].</param>
    /// <param name="strides">[sh, sw] or TF's NHWC [1, sh, sw, 1].</param>
    /// <param name="padding">"SAME" (padding cells are ignored) or "VALID".</param>
    public static Tensor MaxPool(Tensor input, int[] ksize, int[] strides, string padding, string? name = null) =>
        AddPoolOp(MaxPoolDef, name, [input], ksize, strides, padding);

    /// <summary>The gradient of MaxPool: dy [N, OH, OW, C] sent to each window's argmax in input [N, H, W, C].</summary>
    public static Tensor MaxPoolGrad(Tensor input, Tensor output, Tensor dy, int[] ksize, int[] strides, string padding, string? name = null) =>
        AddPoolOp(MaxPoolGradDef, name, [input, output, dy], ksize, strides, padding);

    /// <summary>The gradient of MaxPoolGrad with respect to its dy: g [N, H, W, C] read at each window's argmax.</summary>
    internal static Tensor MaxPoolGradGrad(Tensor input, Tensor output, Tensor g, int[] ksize, int[] strides, string padding) =>
        AddPoolOp(MaxPoolGradGradDef, null, [input, output, g], ksize, strides, padding);

    private static Tensor AddPoolOp(OpDef def, string? name, Tensor[] inputs, int[] ksize, int[] strides, string padding)
    {
        var (kh, kw) = WindowPair(def.Type, "ksize", ksize);
        var (sh, sw) = WindowPair(def.Type, "strides", strides);
        return AddPoolOp(def, name, inputs, new PoolAttributes(kh, kw, sh, sw, ParsePadding(def.Type, padding)));
    }

    // MaxPoolGrad (scatter) or MaxPoolGradGrad (gather) with a pooling op's attributes.
    private static Tensor Route(bool scatter, Tensor x, Tensor y, Tensor g, PoolAttributes attributes) =>
        AddPoolOp(scatter ? MaxPoolGradDef : MaxPoolGradGradDef, null, [x, y, g], attributes);

    private static Tensor AddPoolOp(OpDef def, string? name, Tensor[] inputs, PoolAttributes attributes)
    {
        foreach (var t in inputs.Skip(1)) CheckSameType(def, inputs[0], t);
        if (!inputs[0].DType.IsFloating())
            throw new ArgumentException($"{def.Type}: needs a floating-point input, got {inputs[0].Name} of type {inputs[0].DType.Name()}");
        return inputs[0].Graph.AddOp(def, name, inputs, [inputs[0].DType], attributes).Output;
    }

    private static Shape[] InferMaxPool(Operation op, Shape[] s)
    {
        RequireRank4(op, "input", s[0]);
        var a = op.Attrs<PoolAttributes>();
        return [WindowOutput(op, s[0], a.KernelH, a.KernelW, (a.StrideH, a.StrideW), a.Padding, s[0][3])];
    }

    // Inputs (x, y, g): y must be MaxPool(x)'s shape; g is y-shaped when scattering, x-shaped when gathering.
    private static Shape[] InferPoolRouting(Operation op, Shape[] s, bool scatter)
    {
        var pooled = InferMaxPool(op, s)[0];
        if (!pooled.IsCompatibleWith(s[1]))
            throw new ShapeException($"{op.Type} '{op.Name}': output {s[1]} is not the pooled shape {pooled} of input {s[0]}");
        var (gradShape, result) = scatter ? (pooled, s[0]) : (s[0], pooled);
        if (!gradShape.IsCompatibleWith(s[2]))
            throw new ShapeException($"{op.Type} '{op.Name}': gradient {s[2]} does not match {gradShape}");
        return [result];
    }
}
