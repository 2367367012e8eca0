namespace Flow.Tests;

/// <summary>
/// Compares the gradients the graph builds with central differences, all in float64: the loss is
/// sum(f(xs) · R) for a fixed random R, so every output element's gradient is exercised.
/// </summary>
internal static class GradientCheck
{
    public static void Check(Func<Tensor[], Tensor> f, params HostTensor[] inputs) => Check(f, inputs, checkInputs: null);

    public static void Check(Func<Tensor[], Tensor> f, HostTensor[] inputs, bool[]? checkInputs, double eps = 1e-6, double tol = 1e-6)
    {
        var g = new Graph(seed: 7);
        var xs = inputs.Select((v, i) => g.Placeholder(v.DType, v.Shape, $"x{i}")).ToArray();
        var y = f(xs);
        var weights = TestValues.Values(y.Shape.Size, seed: 99);
        var loss = Tf.ReduceSum(y * g.Constant(HostTensor.From(weights, y.Shape.ToArray())));
        var checkedXs = xs.Where((x, i) => x.DType == DType.Float64 && (checkInputs?[i] ?? true)).ToArray();
        var grads = Tf.Gradients([loss], checkedXs);
        var feed = new FeedDict();
        for (int i = 0; i < xs.Length; i++) feed[xs[i]] = inputs[i];
        TestBackends.Each(g, (s, backend) =>
        {
            var analytic = s.Run(grads.Select(t => t ?? throw new Exception("no gradient")).ToArray(), feed);
            for (int xi = 0; xi < checkedXs.Length; xi++)
            {
                var span = inputs[Array.IndexOf(xs, checkedXs[xi])].AsSpan<double>();
                var expected = new double[span.Length];
                for (int k = 0; k < span.Length; k++)
                {
                    double orig = span[k];
                    span[k] = orig + eps;
                    double plus = s.Run(loss, feed).ScalarValue();
                    span[k] = orig - eps;
                    double minus = s.Run(loss, feed).ScalarValue();
                    span[k] = orig;
                    expected[k] = (plus - minus) / (2 * eps);
                }
                var actual = analytic[xi].AsSpan<double>();
                for (int k = 0; k < expected.Length; k++)
                    Assert.True(Math.Abs(actual[k] - expected[k]) <= tol + 1e-5 * Math.Abs(expected[k]),
                        $"d/d{checkedXs[xi].Op.Name}[{k}] on {backend}: analytic {actual[k]:G10}, numeric {expected[k]:G10}");
            }
        });
    }

    public static HostTensor Input(int[] shape, int seed, double lo = -1, double hi = 1)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var v = TestValues.Values(n, seed).Select(x => lo + (hi - lo) * (x + 1) / 2).ToArray();
        return HostTensor.From(v, shape);
    }
}

internal static class TestValues
{
    /// <summary>Deterministic values in [-1, 1).</summary>
    public static double[] Values(int n, int seed)
    {
        var r = new RandomStream(seed);
        return Enumerable.Range(0, n).Select(_ => r.NextDouble() * 2 - 1).ToArray();
    }

    public static float[] Floats(int n, int seed) => Values(n, seed).Select(v => (float)v).ToArray();
}
