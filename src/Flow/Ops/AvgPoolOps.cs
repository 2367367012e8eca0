namespace Flow;

// Average pooling over NHWC windows with TF's rule at the borders: a SAME window that hangs over the edge
// averages only its cells inside the image (it divides by their count, not by kh·kw). The gradient spreads
// each dy evenly over its window's real cells (AvgPoolGrad); that spreading is AvgPool's transpose, and
// AvgPool is AvgPoolGrad's, so each differentiates into the other.
//   y  = AvgPool(x)            [N, H, W, C] → [N, OH, OW, C]
//   dx = AvgPoolGrad(x, dy)    dy [N, OH, OW, C] → [N, H, W, C]; x only gives the shape

public static partial class Tf
{
    public static readonly OpDef AvgPoolDef = new("AvgPool", InferMaxPool,
        (op, dy) => [AvgPoolGrad(op.Inputs[0], dy[0]!, op.Attrs<PoolAttributes>())])
    { AttributesType = typeof(PoolAttributes) };

    public static readonly OpDef AvgPoolGradDef = new("AvgPoolGrad", InferAvgPoolGrad,
        (op, dy) => [null, AddPoolOp(AvgPoolDef, null, [dy[0]!], op.Attrs<PoolAttributes>())])
    { AttributesType = typeof(PoolAttributes) };

    /// <summary>Mean over kh×kw windows of an NHWC input [N, H, W, C], giving [N, OH, OW, C] (tf.nn.avg_pool).</summary>
    /// <param name="ksize">[kh, kw] or TF's NHWC [1, kh, kw, 1].</param>
    /// <param name="strides">[sh, sw] or TF's NHWC [1, sh, sw, 1].</param>
    /// <param name="padding">"SAME" (a border window averages its cells inside the image) or "VALID".</param>
    public static Tensor AvgPool(Tensor input, int[] ksize, int[] strides, string padding, string? name = null) =>
        AddPoolOp(AvgPoolDef, name, [input], ksize, strides, padding);

    internal static Tensor AvgPoolGrad(Tensor input, Tensor dy, PoolAttributes attributes) =>
        AddPoolOp(AvgPoolGradDef, null, [input, dy], attributes);

    // Inputs (x, dy): dy must be AvgPool(x)'s shape; the result is x's.
    private static Shape[] InferAvgPoolGrad(Operation op, Shape[] s)
    {
        var pooled = InferMaxPool(op, s)[0];
        if (!pooled.IsCompatibleWith(s[1]))
            throw new ShapeException($"{op.Type} '{op.Name}': gradient {s[1]} does not match the pooled shape {pooled} of input {s[0]}");
        return [s[0]];
    }
}
