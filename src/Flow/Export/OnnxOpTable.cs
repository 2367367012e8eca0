using static Flow.Export.OnnxGraphBuilder;

namespace Flow.Export;

/// <summary>Emits the ONNX nodes of one Flow op and binds its outputs' names.</summary>
internal delegate void OnnxOpMapper(OnnxGraphBuilder b, Operation op);

/// <summary>
/// How an op type maps to ONNX. A training-only op (dropout) is left out of the exported graph: its
/// output 0 is its input 0, and only that input is followed.
/// </summary>
internal sealed record OnnxOpMapping(OnnxOpMapper Map, bool TrainingOnly = false)
{
    /// <summary>
    /// Inputs that only switch the op between training and inference (batch normalization's training flag):
    /// the exported graph is the inference one, so they are not followed, and only output 0 may be read.
    /// </summary>
    public int[] ModeInputs { get; init; } = [];

    /// <summary>The inputs the exported graph reads.</summary>
    public IEnumerable<Tensor> Followed(Operation op) =>
        TrainingOnly ? op.Inputs.Take(1) : op.Inputs.Where((_, i) => !ModeInputs.Contains(i));

    /// <summary>Whether outputs other than 0 have no exported value.</summary>
    public bool OnlyOutput0 => TrainingOnly || ModeInputs.Length > 0;
}

/// <summary>
/// The per-op mapping, one entry per Flow op type (opset 17). Flow's images are NHWC and ONNX's Conv and
/// MaxPool are NCHW, so those two are wrapped in Transposes (ONNX Runtime folds the pairs between layers);
/// TF's SAME padding becomes explicit pads, the odd cell at the bottom/right as TF puts it.
/// </summary>
internal static class OnnxOpTable
{
    private static readonly long[] ToNchw = [0, 3, 1, 2], ToNhwc = [0, 2, 3, 1], FilterToOihw = [3, 2, 0, 1];

    /// <summary>The mappings by op definition; an op whose definition is missing here cannot be exported.</summary>
    public static readonly IReadOnlyDictionary<OpDef, OnnxOpMapping> ByDef = new Dictionary<OpDef, OnnxOpMapping>
    {
        [Graph.VariableDef] = new((b, op) => b.Bind(op.Output, b.Initializer(op.Name, b.Spec.VariableValue(VariableOf(op))))),
        [Graph.ConstDef] = new((b, op) => b.Bind(op.Output, b.Initializer(op.Name, op.Attrs<ConstAttributes>().Value))),
        [Tf.IdentityDef] = Same("Identity"),
        // Only gradients tell StopGradient from Identity, and an exported graph has none.
        [Tf.StopGradientDef] = Same("Identity"),
        // The exported graph takes one input, so a placeholder with a default is never fed there: it is its default.
        [Tf.PlaceholderWithDefaultDef] = Same("Identity"),
        [Tf.AddDef] = Same("Add"),
        [Tf.SubDef] = Same("Sub"),
        [Tf.MulDef] = Same("Mul"),
        [Tf.DivDef] = Same("Div"),
        [Tf.MaximumDef] = Same("Max"),
        [Tf.NegDef] = Same("Neg"),
        [Tf.ExpDef] = Same("Exp"),
        [Tf.SinDef] = Same("Sin"),
        [Tf.CosDef] = Same("Cos"),
        [Tf.LogDef] = Same("Log"),
        [Tf.SqrtDef] = Same("Sqrt"),
        [Tf.ReluDef] = Same("Relu"),
        // The bias is rank 1 and so broadcasts along the last axis, as BiasAdd adds it.
        [Tf.BiasAddDef] = Same("Add"),
        [Tf.SoftmaxDef] = Same("Softmax", Attr("axis", -1L)),
        [Tf.LogSoftmaxDef] = Same("LogSoftmax", Attr("axis", -1L)),
        [Tf.ReshapeDef] = new(MapReshape),
        [Tf.MatMulDef] = new(MapMatMul),
        [Tf.Conv2DDef] = new((b, op) => MapWindowed(b, op, "Conv",
            op.Attrs<ConvAttributes>().WindowFor(op.Inputs[0].Shape, op.Inputs[1].Shape),
            b.Node("Transpose", op.Name + "/filter_oihw", [b.In(op, 1)], Attr("perm", FilterToOihw)))),
        [Tf.MaxPoolDef] = new((b, op) => MapWindowed(b, op, "MaxPool", op.Attrs<PoolAttributes>().WindowFor(op.Inputs[0].Shape), null)),
        [Tf.DropoutDef] = new((b, op) => b.Bind(op.Outputs[0], b.In(op, 0)), TrainingOnly: true),
        [Tf.SigmoidDef] = Same("Sigmoid"),
        [Tf.TanhDef] = Same("Tanh"),
        [Tf.AbsDef] = Same("Abs"),
        [Tf.SignDef] = Same("Sign"),
        [Tf.MinimumDef] = Same("Min"),
        [Tf.PowDef] = Same("Pow"),
        [Tf.ConcatDef] = new((b, op) => b.Bind(op.Output, b.Node("Concat", op.Name, op.Inputs.Select((_, i) => b.In(op, i)).ToArray(),
            Attr("axis", (long)op.Attrs<AxisAttributes>().Axis)))),
        [Tf.TransposeDef] = new((b, op) => b.Bind(op.Output, b.Node("Transpose", op.Name, [b.In(op, 0)],
            Attr("perm", op.Attrs<PermutationAttributes>().Perm.Select(p => (long)p).ToArray())))),
        // ONNX's AveragePool leaves explicit pads out of the count by default (count_include_pad = 0), as TF's SAME does.
        [Tf.AvgPoolDef] = new((b, op) => MapWindowed(b, op, "AveragePool", op.Attrs<PoolAttributes>().WindowFor(op.Inputs[0].Shape), null)),
        [Tf.ReduceMinDef] = new(MapReduceMin),
        [Tf.OneHotDef] = new(MapOneHot),
        [Tf.FusedBatchNormDef] = new(MapBatchNorm) { ModeInputs = [5] },
    };

    // Element-wise ops whose ONNX namesake takes the same inputs (NumPy broadcasting on both sides).
    private static OnnxOpMapping Same(string onnxType, params Onnx.AttributeProto[] attrs) =>
        new((b, op) => b.Bind(op.Output, b.Node(onnxType, op.Name, op.Inputs.Select((_, i) => b.In(op, i)).ToArray(), attrs)));

    private static Variable VariableOf(Operation op) => op.Graph.GlobalVariables.First(v => v.Value.Op == op);

    private static void MapReshape(OnnxGraphBuilder b, Operation op)
    {
        var target = op.Attrs<ShapeAttributes>().Shape.ToArray();
        // ONNX reads 0 as "copy this dimension"; Flow means an empty axis. No model here has one.
        if (target.Contains(0))
            throw new OnnxExportException($"op '{op.Name}' (Reshape): a target shape with a 0 dimension {new Shape(target)} has no ONNX equivalent");
        string shape = b.Int64s(op.Name + "/shape", target.Select(d => (long)d).ToArray());
        b.Bind(op.Output, b.Node("Reshape", op.Name, [b.In(op, 0), shape]));
    }

    // Opset 17's ReduceMin takes its axes as an attribute; none given reduces them all, as Flow's null does.
    private static void MapReduceMin(OnnxGraphBuilder b, Operation op)
    {
        var a = op.Attrs<ReduceAttributes>();
        Onnx.AttributeProto[] attrs = a.Axes is null ? [Attr("keepdims", a.KeepDims ? 1 : 0)]
            : [Attr("axes", a.Axes.Select(x => (long)x).ToArray()), Attr("keepdims", a.KeepDims ? 1 : 0)];
        b.Bind(op.Output, b.Node("ReduceMin", op.Name, [b.In(op, 0)], attrs));
    }

    // ONNX's OneHot takes the depth and [off, on] as inputs; the values' type is the output's.
    private static void MapOneHot(OnnxGraphBuilder b, Operation op)
    {
        var a = op.Attrs<OneHotAttributes>();
        var values = HostTensor.Zeros(op.Output.DType, new Shape(2));
        switch (op.Output.DType)
        {
            case DType.Float32: values.AsSpan<float>()[0] = (float)a.OffValue; values.AsSpan<float>()[1] = (float)a.OnValue; break;
            case DType.Float64: values.AsSpan<double>()[0] = a.OffValue; values.AsSpan<double>()[1] = a.OnValue; break;
            case DType.Int32: values.AsSpan<int>()[0] = (int)a.OffValue; values.AsSpan<int>()[1] = (int)a.OnValue; break;
        }
        string depth = b.Int64s(op.Name + "/depth", [a.Depth]);
        b.Bind(op.Output, b.Node("OneHot", op.Name, [b.In(op, 0), depth, b.Initializer(op.Name + "/values", values)], Attr("axis", (long)a.Axis)));
    }

    // Inference-mode batch normalization with the given (moving) statistics. ONNX normalises axis 1, so NHWC
    // images go through NCHW as Conv does; [N, C] rows are already channels-second.
    private static void MapBatchNorm(OnnxGraphBuilder b, Operation op)
    {
        var epsilon = Attr("epsilon", (float)op.Attrs<BatchNormAttributes>().Epsilon);
        string[] statistics = [b.In(op, 1), b.In(op, 2), b.In(op, 3), b.In(op, 4)];
        if (op.Inputs[0].Shape.Rank == 2)
        {
            b.Bind(op.Outputs[0], b.Node("BatchNormalization", op.Name, [b.In(op, 0), .. statistics], epsilon));
            return;
        }
        string nchw = b.Node("Transpose", op.Name + "/nchw", [b.In(op, 0)], Attr("perm", ToNchw));
        string result = b.Node("BatchNormalization", op.Name + "/batchnormalization", [nchw, .. statistics], epsilon);
        b.Bind(op.Outputs[0], b.Node("Transpose", op.Name, [result], Attr("perm", ToNhwc)));
    }

    private static void MapMatMul(OnnxGraphBuilder b, Operation op)
    {
        var (ta, tb) = op.Attrs<MatMulAttributes>();
        string[] inputs = [b.In(op, 0), b.In(op, 1)];
        b.Bind(op.Output, ta || tb
            ? b.Node("Gemm", op.Name, inputs, Attr("transA", ta ? 1 : 0), Attr("transB", tb ? 1 : 0))
            : b.Node("MatMul", op.Name, inputs));
    }

    // Conv2D or MaxPool on NHWC input 0: transpose to NCHW, run the ONNX op with explicit pads, transpose back.
    private static void MapWindowed(OnnxGraphBuilder b, Operation op, string onnxType, Window w, string? filter)
    {
        if (w.H == Shape.Unknown || w.W == Shape.Unknown)
            throw new OnnxExportException($"op '{op.Name}' ({op.Type}): its input {op.Inputs[0].Shape} has an unknown height or width, so its padding cannot be written out");
        string nchw = b.Node("Transpose", op.Name + "/nchw", [b.In(op, 0)], Attr("perm", ToNchw));
        string result = b.Node(onnxType, op.Name + "/" + onnxType.ToLowerInvariant(), filter is null ? [nchw] : [nchw, filter],
            Attr("kernel_shape", w.KH, w.KW), Attr("strides", w.SH, w.SW),
            Attr("pads", w.PadTop, w.PadLeft, PadAfter(w.H, w.KH, w.SH, w.OH, w.PadTop), PadAfter(w.W, w.KW, w.SW, w.OW, w.PadLeft)));
        b.Bind(op.Output, b.Node("Transpose", op.Name, [result], Attr("perm", ToNhwc)));
    }

    // TF pads max((out − 1)·stride + k − in, 0) in all (0 for VALID, whose windows fit), the odd cell after.
    private static long PadAfter(int size, int k, int stride, int outSize, int before) =>
        Math.Max((outSize - 1) * stride + k - size, 0) - before;
}
