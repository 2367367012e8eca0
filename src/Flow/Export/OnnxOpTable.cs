using static Flow.Export.OnnxGraphBuilder;

namespace Flow.Export;

/// <summary>Emits the ONNX nodes of one Flow op and binds its outputs' names.</summary>
internal delegate void OnnxOpMapper(OnnxGraphBuilder b, Operation op);

/// <summary>
/// How an op type maps to ONNX. A training-only op (dropout) is left out of the exported graph: its
/// output 0 is its input 0, and only that input is followed.
/// </summary>
internal sealed record OnnxOpMapping(OnnxOpMapper Map, bool TrainingOnly = false);

/// <summary>
/// The per-op mapping, one entry per Flow op type (opset 17). Flow's images are NHWC and ONNX's Conv and
/// MaxPool are NCHW, so those two are wrapped in Transposes (ONNX Runtime folds the pairs between layers);
/// TF's SAME padding becomes explicit pads, the odd cell at the bottom/right as TF puts it.
/// </summary>
internal static class OnnxOpTable
{
    private static readonly long[] ToNchw = [0, 3, 1, 2], ToNhwc = [0, 2, 3, 1], FilterToOihw = [3, 2, 0, 1];

    public static readonly IReadOnlyDictionary<string, OnnxOpMapping> ByType = new Dictionary<string, OnnxOpMapping>
    {
        ["Variable"] = new((b, op) => b.Bind(op.Output, b.Initializer(op.Name, b.Spec.VariableValue(VariableOf(op))))),
        ["Const"] = new((b, op) => b.Bind(op.Output, b.Initializer(op.Name, op.Attr<HostTensor>("value")))),
        ["Identity"] = Same("Identity"),
        ["Add"] = Same("Add"),
        ["Sub"] = Same("Sub"),
        ["Mul"] = Same("Mul"),
        ["Div"] = Same("Div"),
        ["Maximum"] = Same("Max"),
        ["Neg"] = Same("Neg"),
        ["Exp"] = Same("Exp"),
        ["Log"] = Same("Log"),
        ["Sqrt"] = Same("Sqrt"),
        ["Relu"] = Same("Relu"),
        // The bias is rank 1 and so broadcasts along the last axis, as BiasAdd adds it.
        ["BiasAdd"] = Same("Add"),
        ["Softmax"] = Same("Softmax", Attr("axis", -1L)),
        ["LogSoftmax"] = Same("LogSoftmax", Attr("axis", -1L)),
        ["Reshape"] = new(MapReshape),
        ["MatMul"] = new(MapMatMul),
        ["Conv2D"] = new((b, op) => MapWindowed(b, op, "Conv", op.Inputs[1].Shape[0], op.Inputs[1].Shape[1],
            b.Node("Transpose", op.Name + "/filter_oihw", [b.In(op, 1)], Attr("perm", FilterToOihw)))),
        ["MaxPool"] = new((b, op) => MapWindowed(b, op, "MaxPool", op.Attr<int[]>("ksize")[0], op.Attr<int[]>("ksize")[1], null)),
        ["Dropout"] = new((b, op) => b.Bind(op.Outputs[0], b.In(op, 0)), TrainingOnly: true),
    };

    // Element-wise ops whose ONNX namesake takes the same inputs (NumPy broadcasting on both sides).
    private static OnnxOpMapping Same(string onnxType, params Onnx.AttributeProto[] attrs) =>
        new((b, op) => b.Bind(op.Output, b.Node(onnxType, op.Name, op.Inputs.Select((_, i) => b.In(op, i)).ToArray(), attrs)));

    private static Variable VariableOf(Operation op) => op.Graph.GlobalVariables.First(v => v.Value.Op == op);

    private static void MapReshape(OnnxGraphBuilder b, Operation op)
    {
        var target = op.Attr<Shape>("shape").ToArray();
        // ONNX reads 0 as "copy this dimension"; Flow means an empty axis. No model here has one.
        if (target.Contains(0))
            throw new OnnxExportException($"op '{op.Name}' (Reshape): a target shape with a 0 dimension {op.Attr<Shape>("shape")} has no ONNX equivalent");
        string shape = b.Int64s(op.Name + "/shape", target.Select(d => (long)d).ToArray());
        b.Bind(op.Output, b.Node("Reshape", op.Name, [b.In(op, 0), shape]));
    }

    private static void MapMatMul(OnnxGraphBuilder b, Operation op)
    {
        bool ta = op.Attr<bool>("transpose_a"), tb = op.Attr<bool>("transpose_b");
        string[] inputs = [b.In(op, 0), b.In(op, 1)];
        b.Bind(op.Output, ta || tb
            ? b.Node("Gemm", op.Name, inputs, Attr("transA", ta ? 1 : 0), Attr("transB", tb ? 1 : 0))
            : b.Node("MatMul", op.Name, inputs));
    }

    // Conv2D or MaxPool on NHWC input 0: transpose to NCHW, run the ONNX op with explicit pads, transpose back.
    private static void MapWindowed(OnnxGraphBuilder b, Operation op, string onnxType, int kh, int kw, string? filter)
    {
        var input = op.Inputs[0].Shape;
        var (sh, sw) = Tf.Strides(op);
        bool same = Tf.IsSame(op);
        if (input[1] == Shape.Unknown || input[2] == Shape.Unknown)
            throw new OnnxExportException($"op '{op.Name}' ({op.Type}): its input {input} has an unknown height or width, so its padding cannot be written out");
        var (top, bottom) = Pads(input[1], kh, sh, same);
        var (left, right) = Pads(input[2], kw, sw, same);
        string nchw = b.Node("Transpose", op.Name + "/nchw", [b.In(op, 0)], Attr("perm", ToNchw));
        string result = b.Node(onnxType, op.Name + "/" + onnxType.ToLowerInvariant(), filter is null ? [nchw] : [nchw, filter],
            Attr("kernel_shape", kh, kw), Attr("strides", sh, sw), Attr("pads", top, left, bottom, right));
        b.Bind(op.Output, b.Node("Transpose", op.Name, [result], Attr("perm", ToNhwc)));
    }

    // TF's SAME: total padding max((out − 1)·stride + k − in, 0), half (rounded down) before, the rest after.
    private static (long Before, long After) Pads(int size, int k, int stride, bool same)
    {
        if (!same) return (0, 0);
        int total = Math.Max((Window.OutSize(size, k, stride, true) - 1) * stride + k - size, 0);
        int before = Window.PadBefore(size, k, stride, true);
        return (before, total - before);
    }
}
