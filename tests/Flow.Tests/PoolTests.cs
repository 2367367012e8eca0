namespace Flow.Tests;

/// <summary>MaxPool and its routing ops: values against a direct loop written here, tie and padding rules, gradients.</summary>
public class PoolTests
{
    // (input, ksize, stride, padding): SAME on odd sizes (odd pad totals), VALID, strides 1 and 2.
    public static TheoryData<int[], int, int, string> Cases => new()
    {
        { new[] { 2, 5, 7, 3 }, 2, 2, "SAME" },
        { new[] { 2, 5, 7, 2 }, 3, 2, "SAME" },
        { new[] { 1, 5, 6, 2 }, 2, 1, "SAME" },
        { new[] { 2, 5, 7, 2 }, 3, 1, "VALID" },
        { new[] { 2, 6, 7, 3 }, 2, 2, "VALID" },
    };

    private static HostTensor In(int seed, params int[] shape) => GradientCheck.Input(shape, seed);

    [Theory, MemberData(nameof(Cases))]
    public void MaxPoolGradient(int[] x, int k, int s, string padding) =>
        GradientCheck.Check(t => Tf.MaxPool(t[0], [1, k, k, 1], [1, s, s, 1], padding), In(1, x));

    [Theory, MemberData(nameof(Cases))]
    public void MaxPoolGradGradient(int[] x, int k, int s, string padding) =>
        GradientCheck.Check(t => Tf.MaxPoolGrad(t[0], Tf.MaxPool(t[0], [k, k], [s, s], padding), t[1], [k, k], [s, s], padding),
            [In(1, x), In(2, PooledShape(x, k, s, padding))], [false, true]);

    [Theory, MemberData(nameof(Cases))]
    public void MaxPoolGradGradGradient(int[] x, int k, int s, string padding) =>
        GradientCheck.Check(t => Tf.MaxPoolGradGrad(t[0], Tf.MaxPool(t[0], [k, k], [s, s], padding), t[1], [k, k], [s, s], padding),
            [In(1, x), In(2, x)], [false, true]);

    [Theory, MemberData(nameof(Cases))]
    public void MaxPoolMatchesDirectLoop(int[] x, int k, int s, string padding)
    {
        var xv = TestValues.Floats(x.Aggregate(1, (a, b) => a * b), 3);
        var g = new Graph();
        var y = Tf.MaxPool(g.Constant(xv, x), [k, k], [s, s], padding);
        TestBackends.Each(g, (session, backend) =>
        {
            var actual = session.Run(y);
            var shape = PooledShape(x, k, s, padding);
            Assert.Equal(new Shape(shape), actual.Shape);
            Assert.Equal(NaiveMaxPool(xv, x, k, s, padding == "SAME"), actual.ToFloatArray());
        });
    }

    [Fact]
    public void TiesGoToTheFirstCellAndPaddingNeverWins()
    {
        // 3×3 SAME 2×2 stride 2: the last row and column are padding. All values negative, so a zero pad
        // would win if it took part; the first window is a four-way tie.
        float[] x = [-1, -1, -5,
                     -1, -1, -6,
                     -7, -8, -9];
        var g = new Graph();
        var xt = g.Constant(x, 1, 3, 3, 1);
        var y = Tf.MaxPool(xt, [2, 2], [2, 2], "SAME");
        var dx = Tf.Gradients([y], [xt], [g.Constant([1f, 2f, 3f, 4f], 1, 2, 2, 1)])[0]!;
        using var s = new Session(g);
        var r = s.Run([y, dx]);
        Assert.Equal([-1f, -5f, -7f, -9f], r[0].ToFloatArray());
        Assert.Equal([1f, 0, 2f, 0, 0, 0, 3f, 0, 4f], r[1].ToFloatArray());
    }

    [Fact]
    public void ShapesAndErrors()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 28, 28, 32), "h");
        Assert.Equal(new Shape(-1, 14, 14, 32), Tf.MaxPool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME").Shape);
        Assert.Equal(new Shape(-1, 9, 9, 32), Tf.MaxPool(x, [3, 3], [3, 3], "VALID").Shape);
        Assert.Contains("larger than the input", Assert.Throws<ShapeException>(() => Tf.MaxPool(x, [29, 2], [1, 1], "VALID")).Message);
        Assert.Contains("rank 4", Assert.Throws<ShapeException>(() => Tf.MaxPool(g.Placeholder(DType.Float32, new Shape(4, 4)), [2, 2], [2, 2], "SAME")).Message);
        Assert.Contains("ksize", Assert.Throws<ArgumentException>(() => Tf.MaxPool(x, [2, 2, 2], [2, 2], "SAME")).Message);
    }

    private static int[] PooledShape(int[] x, int k, int s, string padding) =>
        ConvTests.OutShape(x, [k, k, x[3], x[3]], s, s, padding);

    private static float[] NaiveMaxPool(float[] x, int[] xs, int k, int s, bool same)
    {
        var shape = PooledShape(xs, k, s, same ? "SAME" : "VALID");
        int padTop = same ? Math.Max((shape[1] - 1) * s + k - xs[1], 0) / 2 : 0;
        int padLeft = same ? Math.Max((shape[2] - 1) * s + k - xs[2], 0) / 2 : 0;
        var y = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int n = 0; n < shape[0]; n++)
            for (int i = 0; i < shape[1]; i++)
                for (int j = 0; j < shape[2]; j++)
                    for (int c = 0; c < shape[3]; c++)
                    {
                        float best = float.NegativeInfinity;
                        for (int di = 0; di < k; di++)
                            for (int dj = 0; dj < k; dj++)
                            {
                                int r = i * s + di - padTop, col = j * s + dj - padLeft;
                                if (r >= 0 && r < xs[1] && col >= 0 && col < xs[2])
                                    best = Math.Max(best, x[((n * xs[1] + r) * xs[2] + col) * xs[3] + c]);
                            }
                        y[((n * shape[1] + i) * shape[2] + j) * shape[3] + c] = best;
                    }
        return y;
    }
}
