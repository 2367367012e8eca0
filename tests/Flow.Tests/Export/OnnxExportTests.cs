using Flow.Export;
using Onnx;

namespace Flow.Tests.Export;

/// <summary>Flow graphs exported to ONNX and run by ONNX Runtime give Flow's own results.</summary>
public class OnnxExportTests
{
    [Fact]
    public void OnnxRuntimeLoadsAndRunsAnExportedGraph()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var y = Tf.Relu(x * 2.0 - 1.0);
        var outputs = OnnxRuntimeRunner.Run(OnnxExporter.Export(Spec(x, [("y", y)], null)), "x", [0f, 0.25f, 1f, 2f, -1f, 0.75f], 2, 3, "y");
        Assert.Equal([0f, 0f, 1f, 3f, 0f, 0.5f], outputs["y"]);
    }

    // A small deep net with odd-sized SAME windows everywhere, so every pad is asymmetric or uneven somewhere:
    // pool 2×2/1 on 7×8 (pads 0 before, 1 after), conv 5×5/2 on 7×8 (H: 2+2, W: 1+2), conv 4×4/1 on 4×4 (1+2),
    // then a VALID conv, a transposed MatMul, bias, softmax.
    [Fact]
    public void OddSizedSamePaddingMatchesOnnxRuntime()
    {
        var g = new Graph(seed: 7);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 7 * 8 * 3), "x");
        var image = Tf.Reshape(x, new Shape(-1, 7, 8, 3));
        var pooled = Tf.MaxPool(image, [2, 2], [1, 1], "SAME");
        var c1 = Tf.Relu(Tf.BiasAdd(Tf.Conv2D(pooled, Var(g, 5, 5, 3, 4), 2, 2, "SAME"), Var(g, 4)));
        Assert.Equal(new Shape(-1, 4, 4, 4), c1.Shape);
        var c2 = Tf.Relu(Tf.Conv2D(c1, Var(g, 4, 4, 4, 6), 1, 1, "SAME"));
        var c3 = Tf.Conv2D(c2, Var(g, 3, 3, 6, 5), 1, 1, "VALID");
        var p2 = Tf.MaxPool(c3, [3, 3], [2, 2], "SAME");
        var flat = Tf.Reshape(p2, new Shape(-1, 5));
        var logits = Tf.MatMul(flat, Var(g, 10, 5), transposeB: true) + Var(g, 10);
        var probabilities = Tf.Softmax(logits);

        const int n = 9;
        var input = Random(n * 7 * 8 * 3, seed: 3);
        using var session = Initialized(g);
        var flow = session.Run([logits, probabilities], new FeedDict { [x] = HostTensor.From(input, n, 7 * 8 * 3) });
        var model = OnnxExporter.Export(Spec(x, [("logits", logits), ("probabilities", probabilities)], session));
        var onnx = OnnxRuntimeRunner.Run(model, "x", input, n, 7 * 8 * 3, "logits", "probabilities");

        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(flow[0].ToFloatArray(), onnx["logits"]) <= 1e-4);
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(flow[1].ToFloatArray(), onnx["probabilities"]) <= 1e-5);
        var pads = ModelProto.Parser.ParseFrom(model).Graph.Node.Where(node => node.OpType is "Conv" or "MaxPool")
            .Select(node => string.Join(",", node.Attribute.Single(a => a.Name == "pads").Ints)).ToArray();
        Assert.Equal(["0,0,1,1", "2,1,2,2", "1,1,2,2", "0,0,0,0", "0,0,1,1"], pads);
    }

    [Fact]
    public void InputAffineRunsInsideTheExportedGraph()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");
        var y = x * 1.0;
        var spec = Spec(x, [("y", y)], null) with { InputAffine = (2.0, -0.5) };
        var outputs = OnnxRuntimeRunner.Run(OnnxExporter.Export(spec), "x", [0f, 1f, 0.5f, 0.25f], 2, 2, "y");
        Assert.Equal([-0.5f, 1.5f, 0.5f, 0f], outputs["y"]);
    }

    [Fact]
    public void DropoutIsLeftOutAndMetadataKept()
    {
        var g = new Graph(seed: 1);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var keep = g.Placeholder(DType.Float32, Shape.Scalar, "keep_prob");
        var y = Tf.Relu(Tf.Dropout(x, keep));
        var spec = Spec(x, [("y", y)], null) with { Metadata = new Dictionary<string, string> { ["model"] = "tiny", ["seed"] = "1" } };
        var bytes = OnnxExporter.Export(spec);
        var model = ModelProto.Parser.ParseFrom(bytes);
        Assert.DoesNotContain(model.Graph.Node, node => node.OpType == "Dropout");
        Assert.Equal(OnnxExporter.Opset, model.OpsetImport.Single().Version);
        Assert.Equal(["model=tiny", "seed=1"], model.MetadataProps.Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal([0f, 2f, 0f, 4f], OnnxRuntimeRunner.Run(bytes, "x", [-1f, 2f, -3f, 4f], 1, 4, "y")["y"]);
    }

    // The ops of issue 19 that ONNX has: average pooling at uneven SAME borders, a transpose, the element-wise
    // functions joined by a concat, softmax over a middle axis (Transpose–Softmax–Transpose) and a min-reduction.
    [Fact]
    public void TheCoreOpsMatchOnnxRuntime()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 5 * 7 * 3), "x");
        var image = Tf.Reshape(x, new Shape(-1, 5, 7, 3));
        var pooled = Tf.AvgPool(Tf.AvgPool(image, [3, 3], [1, 1], "SAME"), [2, 2], [2, 2], "SAME");
        var flat = Tf.Reshape(Tf.Transpose(pooled, [0, 3, 1, 2]), new Shape(-1, 36));
        var joined = Tf.Concat([Tf.Sigmoid(flat * 3.0), Tf.Tanh(flat * 3.0), Tf.Abs(flat), Tf.Minimum(flat, g.Scalar(0.1)),
            Tf.Pow(Tf.Abs(flat) + 1.0, 1.5), Tf.Sign(flat) + Tf.Sin(flat) * Tf.Cos(flat)], 1);
        var probabilities = Tf.Reshape(Tf.Softmax(Tf.Reshape(joined, new Shape(-1, 6, 36)), 1), new Shape(-1, 216));
        var least = Tf.ReduceMin(Tf.Reshape(joined, new Shape(-1, 6, 36)), [2]);

        const int n = 4;
        var input = Random(n * 105, seed: 5);
        using var session = new Session(g);
        var flow = session.Run([probabilities, least], new FeedDict { [x] = HostTensor.From(input, n, 105) });
        var model = OnnxExporter.Export(Spec(x, [("p", probabilities), ("least", least)], session));
        var onnx = OnnxRuntimeRunner.Run(model, "x", input, n, 105, "p", "least");
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(flow[0].ToFloatArray(), onnx["p"]) <= 1e-6);
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(flow[1].ToFloatArray(), onnx["least"]) <= 1e-6);
    }

    [Fact]
    public void StopGradientAndAnUnfedPlaceholderWithDefaultExportAsIdentities()
    {
        var g = new Graph(seed: 2);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var scale = Tf.PlaceholderWithDefault(g.Fill(new Shape(4), 1.5), new Shape(-1), "scale");
        var y = Tf.Relu(x * scale) + Tf.StopGradient(x * x, "frozen");
        float[] input = [-1f, 2f, -3f, 0.5f, 4f, -0.25f, 1f, 3f];
        using var session = new Session(g);
        var flow = session.Run(y, new FeedDict { [x] = HostTensor.From(input, 2, 4) }).ToFloatArray();
        var onnx = OnnxRuntimeRunner.Run(OnnxExporter.Export(Spec(x, [("y", y)], session)), "x", input, 2, 4, "y")["y"];
        Assert.Equal([1f, 7f, 9f, 1f, 22f, 0.0625f, 2.5f, 13.5f], flow);   // relu(1.5·x) + x², the default scale
        Assert.Equal(flow, onnx);
    }

    [Fact]
    public void EveryForwardOpOfIssue19IsMapped()
    {
        OpDef[] ops = [Tf.SigmoidDef, Tf.TanhDef, Tf.AvgPoolDef, Tf.ConcatDef, Tf.TransposeDef, Tf.OneHotDef, Tf.ReduceMinDef,
            Tf.MinimumDef, Tf.AbsDef, Tf.SignDef, Tf.PowDef, Tf.SoftmaxDef, Tf.SinDef, Tf.CosDef];
        Assert.Empty(ops.Where(d => !OnnxOpTable.ByDef.ContainsKey(d)).Select(d => d.Type));
    }

    [Fact]
    public void AnOpWithNoMappingIsNamed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var y = Tf.Floor(x, name: "round_down");
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(Spec(x, [("y", y)], null)));
        Assert.Equal("op 'round_down' of type Floor has no ONNX mapping", e.Message);
    }

    [Fact]
    public void AnotherPlaceholderIsNamed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4), "x");
        var scale = g.Placeholder(DType.Float32, Shape.Scalar, "scale");
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(Spec(x, [("y", x * scale)], null)));
        Assert.Contains("placeholder 'scale'", e.Message);
    }

    internal static Tensor Var(Graph g, params int[] shape) => g.Variable(Tf.RandomNormal(g, new Shape(shape), stddev: 0.5));

    internal static Session Initialized(Graph g)
    {
        var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        return session;
    }

    internal static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static OnnxExportSpec Spec(Tensor x, (string, Tensor)[] outputs, Session? session) => new()
    {
        Input = x,
        Outputs = outputs,
        VariableValue = v => session!.GetValue(v),
    };
}
