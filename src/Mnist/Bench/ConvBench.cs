using System.Diagnostics;
using Flow;
using Mnist.Models;

namespace Mnist.Bench;

/// <summary>One convolution of a model, timed alone: forward, filter gradient and input gradient, in GFLOP/s.</summary>
public sealed record ConvLayerResult(string Model, string Layer, Shape Input, Shape Filter, int Stride, string Padding,
    double MFlops, double ForwardGFlops, double FilterGFlops, double InputGFlops);

/// <summary>
/// Times each Conv2D of a model's graph on its own, at a batch size, with the three kernels training runs
/// (Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput): so a 3×3 layer can be compared with a 5×5 one in GFLOP/s.
/// Every one does 2·N·OH·OW·KH·KW·Cin·Cout FLOPs. The shapes come from the graph, so a new model needs no list here.
/// </summary>
public static class ConvBench
{
    public static IEnumerable<ConvLayerResult> Run(MnistModel model, int batchSize, int threads, string? device = null, double secondsPerKernel = 1)
    {
        var graph = model.Build(model.DefaultSettings with { BatchSize = batchSize }).Graph;
        foreach (var op in graph.Operations.Where(o => o.Type == Tf.Conv2DDef.Type))
        {
            var a = op.Attrs<ConvAttributes>();
            var inShape = op.Inputs[0].Shape;
            var filterShape = op.Inputs[1].Shape;
            var input = new Shape(batchSize, inShape[1], inShape[2], inShape[3]);
            string padding = a.Padding == Flow.Padding.Same ? "SAME" : "VALID";
            var times = Time(input, filterShape, a.StrideH, padding, threads, device, secondsPerKernel, out var output);
            double flops = 2.0 * batchSize * output[1] * output[2] * filterShape[0] * filterShape[1] * filterShape[2] * filterShape[3];
            yield return new ConvLayerResult(model.Name, op.Inputs[1].Op.Name, input, filterShape, a.StrideH, padding, flops / 1e6,
                flops / times[0] / 1e9, flops / times[1] / 1e9, flops / times[2] / 1e9);
        }
    }

    // Best seconds per run of y = conv(x, f), df and dx, each repeated for about secondsPerKernel.
    private static double[] Time(Shape input, Shape filter, int stride, string padding, int threads, string? device, double secondsPerKernel, out Shape output)
    {
        var g = new Graph(1);
        var x = g.Variable(Tf.RandomUniform(g, input), "x");
        var f = g.Variable(Tf.RandomUniform(g, filter, -0.1, 0.1), "f");
        var y = Tf.Conv2D(x.Value, f.Value, stride, stride, padding);
        output = y.Shape;
        var dy = g.Variable(Tf.RandomUniform(g, y.Shape), "dy");
        var df = Tf.Conv2DBackpropFilter(x.Value, f.Value, dy.Value, [stride, stride], padding);
        var dx = Tf.Conv2DBackpropInput(x.Value, f.Value, dy.Value, [stride, stride], padding);
        using var session = Devices.OpenSession(g, device ?? Devices.Default, threads);
        session.Run(g.GlobalVariablesInitializer());
        return [Best(session, y), Best(session, df), Best(session, dx)];

        double Best(Session s, Tensor t)
        {
            var callable = s.MakeCallable([t], []);
            for (int i = 0; i < 3; i++) callable.Run([]);
            double best = double.MaxValue;
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < secondsPerKernel)
            {
                long start = Stopwatch.GetTimestamp();
                callable.Run([]);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            return best;
        }
    }
}
