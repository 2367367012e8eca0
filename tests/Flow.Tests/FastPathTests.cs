namespace Flow.Tests;

/// <summary>
/// The SIMD and chunked (multi-threaded) element-wise paths against plain scalar formulas, at sizes
/// around the vector width and the chunk size, so both the vector body and the scalar tail run.
/// </summary>
public class FastPathTests
{
    public static TheoryData<int> Sizes => new() { 1, 3, 7, 8, 9, 16, 17, 31, 33, 1000, 16384, 16385, 40001 };

    internal static float[] Run(Func<Graph, Tensor, Tensor> f, float[] x)
    {
        var g = new Graph();
        var p = g.Placeholder(DType.Float32, new Shape(x.Length), "x");
        var y = f(g, p);
        float[]? first = null;
        // Every backend case must give the same bits: element-wise kernels split work only at fixed bounds.
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run(y, new FeedDict { [p] = HostTensor.From(x, x.Length) }).ToFloatArray();
            if (first is null) first = r;
            else Assert.True(first.SequenceEqual(r), $"{y.Op.Type} on {backend} differs from {TestBackends.All[0]}");
        });
        return first!;
    }

    [Theory, MemberData(nameof(Sizes))]
    public void UnaryOps(int n)
    {
        var x = TestValues.Floats(n, n);
        Assert.Equal(x.Select(v => MathF.Max(v, 0)), Run((g, t) => Tf.Relu(t), x));
        Assert.Equal(x.Select(v => v * v), Run((g, t) => Tf.Square(t), x));
        Assert.Equal(x.Select(v => -v), Run((g, t) => -t, x));
        Assert.Equal(x.Select(v => MathF.Sqrt(v + 1)), Run((g, t) => Tf.Sqrt(t + 1.0), x));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void BinaryOpsSameShapeAndScalar(int n)
    {
        var x = TestValues.Floats(n, n);
        var other = TestValues.Floats(n, n + 1);
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(n), "a");
        var b = g.Placeholder(DType.Float32, new Shape(n), "b");
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([a * b, a - b, a / 3.0, Tf.Maximum(a, b)], new FeedDict { [a] = HostTensor.From(x, n), [b] = HostTensor.From(other, n) });
            Assert.Equal(x.Zip(other, (p, q) => p * q), r[0].ToFloatArray());
            Assert.Equal(x.Zip(other, (p, q) => p - q), r[1].ToFloatArray());
            Assert.Equal(x.Select(p => p / 3f), r[2].ToFloatArray());
            Assert.Equal(x.Zip(other, MathF.Max), r[3].ToFloatArray());
        });
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(50, 32)]
    [InlineData(17, 33)]
    [InlineData(20000, 3)]
    public void BiasAddReluGradAndBiasGradient(int rows, int c)
    {
        var x = TestValues.Floats(rows * c, rows);
        var bias = TestValues.Floats(c, c);
        var g = new Graph();
        var xp = g.Placeholder(DType.Float32, new Shape(rows, c), "x");
        var bp = g.Placeholder(DType.Float32, new Shape(c), "b");
        var y = Tf.Relu(Tf.BiasAdd(xp, bp));
        var grads = Tf.Gradients([Tf.ReduceSum(y * y)], [bp]);
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([y, grads[0]!], new FeedDict { [xp] = HostTensor.From(x, rows, c), [bp] = HostTensor.From(bias, c) });
            var expectY = x.Select((v, k) => MathF.Max(v + bias[k % c], 0)).ToArray();
            Assert.Equal(expectY, r[0].ToFloatArray());
            // d/db Σ relu(x+b)² = Σ_rows 2·relu(x+b), summed in row order like the kernel.
            var expectDb = new float[c];
            for (int k = 0; k < rows * c; k++) expectDb[k % c] += 2 * expectY[k];
            var actual = r[1].ToFloatArray();
            for (int j = 0; j < c; j++) Assert.Equal(expectDb[j], actual[j], 1e-5f * rows);
        });
    }

    // A conv bias gradient: SumTo from [n, h, w, c] to [c] takes the blocked row-sum path (the target is aligned to
    // [1, 1, 1, c]) and agrees with a double-precision sum, across several blocks of rows.
    [Theory]
    [InlineData(50, 28, 28, 32)]
    [InlineData(3, 5, 7, 9)]
    public void SumToBiasShapeOfFourDimensions(int n, int h, int w, int c)
    {
        var x = TestValues.Floats(n * h * w * c, c);
        var g = new Graph();
        var xp = g.Placeholder(DType.Float32, new Shape(n, h, w, c), "x");
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([Tf.SumTo(xp, g.Zeros(new Shape(c))), Tf.SumTo(xp, g.Zeros(new Shape(1, 1, 1, c)))],
                new FeedDict { [xp] = HostTensor.From(x, n, h, w, c) });
            var expected = new double[c];
            for (int k = 0; k < x.Length; k++) expected[k % c] += x[k];
            Assert.Equal(r[0].ToFloatArray(), r[1].ToFloatArray());
            var actual = r[0].ToFloatArray();
            for (int j = 0; j < c; j++) Assert.Equal(expected[j], actual[j], 1e-5 * n * h * w);
        });
    }
}
