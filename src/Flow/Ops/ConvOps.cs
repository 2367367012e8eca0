namespace Flow;

// 2-D convolution over NHWC images and its two backprop ops. Conv2D is bilinear in (input, filter), so
// every gradient is again one of the three ops with the same strides and padding (TF's nn_grad.py):
//   y  = Conv2D(x, f)                  dx = BackpropInput(x, f, dy)    df = BackpropFilter(x, f, dy)
//   dx = BackpropInput(like, f, dy)    d(f) = BackpropFilter(g, f, dy) d(dy) = Conv2D(g, f)
//   df = BackpropFilter(x, like, dy)   d(x) = BackpropInput(x, g, dy)  d(dy) = Conv2D(x, g)
// where g is the incoming gradient. The "like" inputs give only their (run-time) shape.

public static partial class Tf
{
    internal static readonly OpDef Conv2DDef = new("Conv2D", InferConv2D, (op, dy) =>
    {
        Tensor x = op.Inputs[0], f = op.Inputs[1], g = dy[0]!;
        var (s, p) = ConvAttrs(op);
        return [Conv2DBackpropInput(x, f, g, s, p), Conv2DBackpropFilter(x, f, g, s, p)];
    });

    // Inputs: input-like [N, H, W, Cin], filter [KH, KW, Cin, Cout], dy [N, OH, OW, Cout]; output [N, H, W, Cin].
    internal static readonly OpDef Conv2DBackpropInputDef = new("Conv2DBackpropInput", (op, s) => InferConvBackprop(op, s, 0),
        (op, dy) =>
        {
            Tensor f = op.Inputs[1], dConv = op.Inputs[2], g = dy[0]!;
            var (s, p) = ConvAttrs(op);
            return [null, Conv2DBackpropFilter(g, f, dConv, s, p), Conv2D(g, f, s, p)];
        });

    // Inputs: input [N, H, W, Cin], filter-like [KH, KW, Cin, Cout], dy [N, OH, OW, Cout]; output [KH, KW, Cin, Cout].
    internal static readonly OpDef Conv2DBackpropFilterDef = new("Conv2DBackpropFilter", (op, s) => InferConvBackprop(op, s, 1),
        (op, dy) =>
        {
            Tensor x = op.Inputs[0], dConv = op.Inputs[2], g = dy[0]!;
            var (s, p) = ConvAttrs(op);
            return [Conv2DBackpropInput(x, g, dConv, s, p), null, Conv2D(x, g, s, p)];
        });

    /// <summary>
    /// 2-D convolution (TF's <c>tf.nn.conv2d</c>, really a cross-correlation): input [N, H, W, Cin] with
    /// filter [KH, KW, Cin, Cout] gives [N, OH, OW, Cout].
    /// </summary>
    /// <param name="strides">[sh, sw] or TF's NHWC [1, sh, sw, 1].</param>
    /// <param name="padding">"SAME" (output ceil(H / sh)) or "VALID" (no padding).</param>
    public static Tensor Conv2D(Tensor input, Tensor filter, int[] strides, string padding, string? name = null) =>
        AddConvOp(Conv2DDef, name, [input, filter], strides, padding);

    public static Tensor Conv2D(Tensor input, Tensor filter, int strideH, int strideW, string padding, string? name = null) =>
        Conv2D(input, filter, [strideH, strideW], padding, name);

    /// <summary>The gradient of Conv2D with respect to its input, shaped like <paramref name="inputLike"/>.</summary>
    public static Tensor Conv2DBackpropInput(Tensor inputLike, Tensor filter, Tensor dy, int[] strides, string padding, string? name = null) =>
        AddConvOp(Conv2DBackpropInputDef, name, [inputLike, filter, dy], strides, padding);

    /// <summary>The gradient of Conv2D with respect to its filter, shaped like <paramref name="filterLike"/>.</summary>
    public static Tensor Conv2DBackpropFilter(Tensor input, Tensor filterLike, Tensor dy, int[] strides, string padding, string? name = null) =>
        AddConvOp(Conv2DBackpropFilterDef, name, [input, filterLike, dy], strides, padding);

    private static Tensor AddConvOp(OpDef def, string? name, Tensor[] inputs, int[] strides, string padding)
    {
        foreach (var t in inputs.Skip(1)) CheckSameType(def, inputs[0], t);
        if (!inputs[0].DType.IsFloating())
            throw new ArgumentException($"{def.Type}: needs floating-point inputs, got {inputs[0].Name} of type {inputs[0].DType.Name()}");
        return inputs[0].Graph.AddOp(def, name, inputs, [inputs[0].DType],
            new() { ["strides"] = WindowPair(def.Type, "strides", strides), ["padding"] = PaddingName(def.Type, padding) }).Output;
    }

    private static (int[] Strides, string Padding) ConvAttrs(Operation op) => (op.Attr<int[]>("strides"), op.Attr<string>("padding"));

    private static Shape[] InferConv2D(Operation op, Shape[] s) => [ConvOutput(op, s[0], s[1])];

    // Checks the input and filter against each other and returns the output shape [N, OH, OW, Cout].
    private static Shape ConvOutput(Operation op, Shape input, Shape filter)
    {
        RequireRank4(op, "input", input);
        RequireRank4(op, "filter", filter);
        if (input[3] != Shape.Unknown && filter[2] != Shape.Unknown && input[3] != filter[2])
            throw new ShapeException($"{op.Type} '{op.Name}': input {input} has {input[3]} channels but filter {filter} expects {filter[2]}");
        return WindowOutput(op, input, filter[0], filter[1], filter[3]);
    }

    // The backprop ops output the shape of their like input (0: input, 1: filter); dy must be the forward output's shape.
    private static Shape[] InferConvBackprop(Operation op, Shape[] s, int like)
    {
        var expected = ConvOutput(op, s[0], s[1]);
        if (!expected.IsCompatibleWith(s[2]))
            throw new ShapeException($"{op.Type} '{op.Name}': dy {s[2]} does not match the convolution output {expected} of input {s[0]} and filter {s[1]}");
        return [s[like]];
    }
}
