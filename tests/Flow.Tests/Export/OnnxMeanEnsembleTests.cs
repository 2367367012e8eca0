using Flow.Export;
using Onnx;
using static Flow.Tests.Export.OnnxExportTests;

namespace Flow.Tests.Export;

/// <summary>Several Flow graphs exported as one ONNX graph averaging their outputs (an ensemble).</summary>
public class OnnxMeanEnsembleTests
{
    // Two graphs built by the same code (so their op and variable names are the same), with different
    // weights, the second reading the shared input shifted by −0.5; exported as the mean of their softmaxes.
    [Fact]
    public void TheMeanOfTwoSameNamedGraphsMatchesOnnxRuntime()
    {
        const int n = 6;
        var input = Random(n * 5, seed: 11);
        var (a, b) = (Member(seed: 1), Member(seed: 2));
        using var sa = Initialized(a.X.Graph);
        using var sb = Initialized(b.X.Graph);
        var pa = sa.Run([a.P], new FeedDict { [a.X] = HostTensor.From(input, n, 5) })[0].ToFloatArray();
        var pb = sb.Run([b.P], new FeedDict { [b.X] = HostTensor.From(input.Select(v => v - 0.5f).ToArray(), n, 5) })[0].ToFloatArray();

        var spec = new OnnxMeanEnsembleSpec
        {
            Members = [Spec(a, sa, null), Spec(b, sb, (1.0, -0.5))],
            MeanName = "p",
            LogMeanName = "log_p",
        };
        var bytes = OnnxExporter.Export(spec);
        var onnx = OnnxRuntimeRunner.Run(bytes, "x", input, n, 5, "p", "log_p");

        var mean = pa.Zip(pb, (u, v) => (u + v) / 2).ToArray();
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(mean, onnx["p"]) <= 1e-6);
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(mean.Select(v => MathF.Log(v)).ToArray(), onnx["log_p"]) <= 1e-5);
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(pa, pb) > 1e-2, "the members must differ for the mean to show");

        var graph = ModelProto.Parser.ParseFrom(bytes).Graph;
        var names = graph.Initializer.Select(i => i.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Contains(names, name => name.StartsWith("member0/", StringComparison.Ordinal));
        Assert.Contains(names, name => name.StartsWith("member1/", StringComparison.Ordinal));
        Assert.All(names, name => Assert.Matches("^member[01]/", name));
        Assert.Equal(["x"], graph.Input.Select(i => i.Name));
        Assert.Equal(["log_p", "p"], graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void MembersThatDoNotFitAreNamed()
    {
        var a = Member(seed: 1);
        var two = Spec(a, null, null) with { Outputs = [("p", a.P), ("q", a.P)] };
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(new OnnxMeanEnsembleSpec { Members = [Spec(a, null, null), two], MeanName = "p" }));
        Assert.Equal("ensemble member 1 (m) has 2 outputs; the mean needs exactly one from each", e.Message);

        var g = new Graph();
        var wide = g.Placeholder(DType.Float32, new Shape(-1, 7), "x");
        var other = new OnnxExportSpec { Input = wide, Outputs = [("p", Tf.Softmax(wide))], VariableValue = _ => throw new InvalidOperationException() };
        e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(new OnnxMeanEnsembleSpec { Members = [Spec(a, null, null), other], MeanName = "p" }));
        Assert.Contains("members share one input", e.Message);
    }

    private static (Tensor X, Tensor P) Member(int seed)
    {
        var g = new Graph(seed: seed);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 5), "x");
        var hidden = Tf.Relu(Tf.MatMul(x, Var(g, 5, 4)) + Var(g, 4));
        return (x, Tf.Softmax(Tf.MatMul(hidden, Var(g, 4, 3))));
    }

    private static OnnxExportSpec Spec((Tensor X, Tensor P) m, Session? session, (double, double)? affine) => new()
    {
        Input = m.X,
        InputAffine = affine,
        Outputs = [("p", m.P)],
        VariableValue = v => session!.GetValue(v),
        GraphName = "m",
    };
}
