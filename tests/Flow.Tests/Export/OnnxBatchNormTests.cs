using Flow.Export;
using Onnx;

namespace Flow.Tests.Export;

/// <summary>Batch normalization exports in inference mode as ONNX BatchNormalization, with the moving statistics as initializers.</summary>
public class OnnxBatchNormTests
{
    [Fact]
    public void InferenceModeMatchesOnnxRuntimeOnImagesAndRows()
    {
        var g = new Graph(seed: 3);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 6 * 5 * 3), "x");
        var training = g.Placeholder(DType.Bool, Shape.Scalar, "training");
        var image = Tf.Reshape(x, new Shape(-1, 6, 5, 3));
        var conv = Tf.Conv2D(image, g.Variable(Tf.RandomNormal(g, new Shape(3, 3, 3, 4), stddev: 0.5)), 1, 1, "SAME");
        var bn1 = Tf.BatchNormalization(conv, training, momentum: 0.5, name: "bn1");
        var flat = Tf.Reshape(Tf.Relu(bn1.Output), new Shape(-1, 120));
        var dense = Tf.MatMul(flat, g.Variable(Tf.RandomNormal(g, new Shape(120, 7), stddev: 0.2)));
        var bn2 = Tf.BatchNormalization(dense, training, momentum: 0.5, epsilon: 1e-2, name: "bn2");
        var probabilities = Tf.Softmax(bn2.Output);

        const int n = 5;
        var input = Values(n * 90, seed: 1, shift: 0.3f);
        using var session = new Session(g);
        session.Run(g.GlobalVariablesInitializer());
        // Moving statistics away from (0, 1), and γ, β away from (1, 0), so every input of BatchNormalization counts.
        session.Run([], new FeedDict { [x] = HostTensor.From(Values(n * 90, seed: 2, shift: 1), n, 90), [training] = HostTensor.From([true]) },
            g.UpdateOps.ToArray());
        foreach (var v in new[] { bn1.Gamma, bn1.Beta, bn2.Gamma, bn2.Beta })
            session.SetValue(v, HostTensor.From(Values(v.Shape[0], seed: v.Name.Length, shift: v == bn1.Gamma || v == bn2.Gamma ? 1 : 0), v.Shape[0]));
        Assert.NotEqual(new float[4], session.GetValue(bn1.MovingMean).ToFloatArray());

        var flow = session.Run([probabilities], new FeedDict { [x] = HostTensor.From(input, n, 90), [training] = HostTensor.From([false]) });
        var bytes = OnnxExporter.Export(new OnnxExportSpec { Input = x, Outputs = [("p", probabilities)], VariableValue = session.GetValue });
        var onnx = OnnxRuntimeRunner.Run(bytes, "x", input, n, 90, "p");

        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(flow[0].ToFloatArray(), onnx["p"]) <= 1e-5);
        var model = ModelProto.Parser.ParseFrom(bytes);
        Assert.Equal(2, model.Graph.Node.Count(node => node.OpType == "BatchNormalization"));
        Assert.Equal(["x"], model.Graph.Input.Select(i => i.Name));
        Assert.Contains(model.Graph.Initializer, t => t.Name.StartsWith("bn1/moving_variance", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadingTheBatchStatisticsIsRefused()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var c = g.Ones(new Shape(3));
        var (_, batchMean, _) = Tf.FusedBatchNorm(x, c, c, c, c, g.Placeholder(DType.Bool, Shape.Scalar, "training"), name: "bn");
        var e = Assert.Throws<OnnxExportException>(() =>
            OnnxExporter.Export(new OnnxExportSpec { Input = x, Outputs = [("m", batchMean)], VariableValue = _ => throw new InvalidOperationException() }));
        Assert.Equal("op 'bn' (FusedBatchNorm) is exported in inference mode, but its output 1 is read", e.Message);
    }

    private static float[] Values(int count, int seed, float shift) => TestValues.Floats(count, seed).Select(v => v + shift).ToArray();
}
