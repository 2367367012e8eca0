namespace Flow;

// 2-D convolution over NHWC images and its two backprop ops. Conv2D is bilinear in (input, filter), so
// every gradient is again one of the three ops with the same strides and padding (TF's nn_grad.py):
//   y  = Conv2D(x, f)                  dx = BackpropInput(x, f, dy)    df = BackpropFilter(x, f, dy)
//   dx = BackpropInput(like, f, dy)    d(f) = BackpropFilter(g, f, dy) d(dy) = Conv2D(g, f)
//   df = BackpropFilter(x, like, dy)   d(x) = BackpropInput(x, g, dy)  d(dy) = Conv2D(x, g)
// where g is the incoming gradient. The "like" inputs give only their (run-time) shape.

public static partial class Tf
{
    public static readonly OpDef Conv2DDef = new("Conv2D", InferConv2D, (op, dy) =>
    {
        Tensor x = op.Inputs[0], f = op.Inputs[1], g = dy[0]!;
        var a = op.Attrs<ConvAttributes>();
        return [ConvOp(ConvRole.Input, [x, f, g], a), ConvOp(ConvRole.Filter, [x, f, g], a)];
    }) { AttributesType = typeof(ConvAttributes) };

    // Inputs: input-like [N, H, W, Cin], filter [KH, KW, Cin, Cout], dy [N, OH, OW, Cout]; output [N, H, W, Cin].
    public static readonly OpDef Conv2DBackpropInputDef = new("Conv2DBackpropInput", (op, s) => InferConvBackprop(op, s, 0),
        (op, dy) =>
        {
            Tensor f = op.Inputs[1], dConv = op.Inputs[2], g = dy[0]!;
            var a = op.Attrs<ConvAttributes>();
            return [null, ConvOp(ConvRole.Filter, [g, f, dConv], a), ConvOp(ConvRole.Forward, [g, f], a)];
        }) { AttributesType = typeof(ConvAttributes) };

    // Inputs: input [N, H, W, Cin], filter-like [KH, KW, Cin, Cout], dy [N, OH, OW, Cout]; output [KH, KW, Cin, Cout].
    public static readonly OpDef Conv2DBackpropFilterDef = new("Conv2DBackpropFilter", (op, s) => InferConvBackprop(op, s, 1),
        (op, dy) =>
        {
            Tensor x = op.Inputs[0], dConv = op.Inputs[2], g = dy[0]!;
            var a = op.Attrs<ConvAttributes>();
            return [ConvOp(ConvRole.Input, [x, g, dConv], a), null, ConvOp(ConvRole.Forward, [x, g], a)];
        }) { AttributesType = typeof(ConvAttributes) };

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
        var (sh, sw) = WindowPair(def.Type, "strides", strides);
        return AddConvOp(def, name, inputs, new ConvAttributes(sh, sw, ParsePadding(def.Type, padding)));
    }

    private enum ConvRole { Forward, Input, Filter }

    // The gradients build the family's ops with their own op's attributes (a method, not a field reference,
    // so the definitions may refer to each other).
    private static Tensor ConvOp(ConvRole role, Tensor[] inputs, ConvAttributes attributes) =>
        AddConvOp(role switch { ConvRole.Forward => Conv2DDef, ConvRole.Input => Conv2DBackpropInputDef, _ => Conv2DBackpropFilterDef },
            null, inputs, attributes);

    private static Tensor AddConvOp(OpDef def, string? name, Tensor[] inputs, ConvAttributes attributes)
    {
        foreach (var t in inputs.Skip(1)) CheckSameType(def, inputs[0], t);
        if (!inputs[0].DType.IsFloating())
            throw new ArgumentException($"{def.Type}: needs floating-point inputs, got {inputs[0].Name} of type {inputs[0].DType.Name()}");
        return inputs[0].Graph.AddOp(def, name, inputs, [inputs[0].DType], attributes).Output;
    }

    private static Shape[] InferConv2D(Operation op, Shape[] s) => [ConvOutput(op, s[0], s[1])];

    // Checks the input and filter against each other and returns the output shape [N, OH, OW, Cout].
    private static Shape ConvOutput(Operation op, Shape input, Shape filter)
    {
        RequireRank4(op, "input", input);
        RequireRank4(op, "filter", filter);
        if (input[3] != Shape.Unknown && filter[2] != Shape.Unknown && input[3] != filter[2])
            throw new ShapeException($"{op.Type} '{op.Name}': input {input} has {input[3]} channels but filter {filter} expects {filter[2]}");
        var a = op.Attrs<ConvAttributes>();
        return WindowOutput(op, input, filter[0], filter[1], (a.StrideH, a.StrideW), a.Padding, filter[3]);
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
