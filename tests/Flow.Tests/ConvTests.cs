using Flow.Backends;
using Flow.Backends.Cpu;

namespace Flow.Tests;

/// <summary>Conv2D and its backprop ops: shapes, values against a direct loop written here, gradients, fast vs reference.</summary>
public class ConvTests
{
    private static HostTensor In(int seed, params int[] shape) => GradientCheck.Input(shape, seed);

    // (input [N, H, W, Cin], filter [KH, KW, Cin, Cout], sh, sw, padding): odd sizes, odd SAME pad totals, both strides.
    public static TheoryData<int[], int[], int, int, string> Cases => new()
    {
        { new[] { 2, 5, 7, 3 }, new[] { 3, 3, 3, 4 }, 1, 1, "SAME" },
        { new[] { 2, 5, 7, 3 }, new[] { 3, 3, 3, 2 }, 2, 2, "SAME" },
        { new[] { 2, 5, 7, 2 }, new[] { 2, 2, 2, 3 }, 1, 1, "SAME" },
        { new[] { 2, 4, 4, 1 }, new[] { 3, 3, 1, 2 }, 2, 2, "SAME" },
        { new[] { 2, 5, 7, 2 }, new[] { 2, 2, 2, 3 }, 1, 1, "VALID" },
        { new[] { 2, 5, 7, 2 }, new[] { 3, 2, 2, 3 }, 2, 2, "VALID" },
        { new[] { 1, 6, 5, 2 }, new[] { 2, 3, 2, 2 }, 2, 1, "SAME" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Conv2DGradient(int[] x, int[] f, int sh, int sw, string padding) =>
        GradientCheck.Check(t => Tf.Conv2D(t[0], t[1], sh, sw, padding), In(1, x), In(2, f));

    [Theory, MemberData(nameof(Cases))]
    public void BackpropInputGradient(int[] x, int[] f, int sh, int sw, string padding) =>
        GradientCheck.Check(t => Tf.Conv2DBackpropInput(t[0], t[1], t[2], [sh, sw], padding),
            [In(1, x), In(2, f), In(3, OutShape(x, f, sh, sw, padding))], [false, true, true]);

    [Theory, MemberData(nameof(Cases))]
    public void BackpropFilterGradient(int[] x, int[] f, int sh, int sw, string padding) =>
        GradientCheck.Check(t => Tf.Conv2DBackpropFilter(t[0], t[1], t[2], [sh, sw], padding),
            [In(1, x), In(2, f), In(3, OutShape(x, f, sh, sw, padding))], [true, false, true]);

    [Theory, MemberData(nameof(Cases))]
    public void Conv2DMatchesDirectLoop(int[] x, int[] f, int sh, int sw, string padding)
    {
        var (xv, fv) = (In(4, x), In(5, f));
        var g = new Graph();
        var y = Tf.Conv2D(g.Constant(xv), g.Constant(fv), [1, sh, sw, 1], padding);
        TestBackends.Each(g, (s, backend) =>
        {
            var actual = s.Run(y);
            var (expected, shape) = NaiveConv(xv.AsSpan<double>().ToArray(), x, fv.AsSpan<double>().ToArray(), f, sh, sw, padding == "SAME");
            Assert.Equal(new Shape(shape), actual.Shape);
            Assert.Equal(new Shape(shape), y.Shape);
            var a = actual.AsSpan<double>();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], a[i], 1e-12);
        });
    }

    [Fact]
    public void ShapesAreInferredWithUnknownBatch()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 28, 28, 1));
        var c1 = Tf.Conv2D(x, g.Zeros(new Shape(5, 5, 1, 32)), [1, 1, 1, 1], "SAME");
        Assert.Equal(new Shape(-1, 28, 28, 32), c1.Shape);
        Assert.Equal(new Shape(-1, 12, 12, 32), Tf.Conv2D(c1, g.Zeros(new Shape(5, 5, 32, 32)), 2, 2, "VALID").Shape);
        Assert.Equal(new Shape(-1, 10, 9, 3), Tf.Conv2D(g.Placeholder(DType.Float32, new Shape(-1, 19, 17, 2)), g.Zeros(new Shape(2, 3, 2, 3)), 2, 2, "SAME").Shape);
        Assert.Equal(new Shape(-1, -1, 3, 4), Tf.Conv2D(g.Placeholder(DType.Float32, new Shape(-1, -1, 7, 2)), g.Zeros(new Shape(3, 3, 2, 4)), 2, 2, "VALID").Shape);
    }

    [Fact]
    public void BadShapesAndArgumentsAreExplained()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 4, 4, 3), "images");
        var ex = Assert.Throws<ShapeException>(() => Tf.Conv2D(x, g.Zeros(new Shape(3, 3, 2, 8)), 1, 1, "SAME"));
        Assert.Contains("3 channels", ex.Message);
        Assert.Contains("expects 2", ex.Message);
        Assert.Contains("larger than the input", Assert.Throws<ShapeException>(() => Tf.Conv2D(x, g.Zeros(new Shape(5, 3, 3, 8)), 1, 1, "VALID")).Message);
        Assert.Contains("rank 4", Assert.Throws<ShapeException>(() => Tf.Conv2D(x, g.Zeros(new Shape(3, 3, 8)), 1, 1, "SAME")).Message);
        Assert.Contains("[1, h, w, 1]", Assert.Throws<ArgumentException>(() => Tf.Conv2D(x, g.Zeros(new Shape(3, 3, 3, 8)), [2, 1, 1, 1], "SAME")).Message);
        Assert.Contains("\"SAME\" or \"VALID\"", Assert.Throws<ArgumentException>(() => Tf.Conv2D(x, g.Zeros(new Shape(3, 3, 3, 8)), 1, 1, "FULL")).Message);
        var f = g.Zeros(new Shape(3, 3, 3, 8));
        Assert.Contains("dy", Assert.Throws<ShapeException>(() => Tf.Conv2DBackpropInput(x, f, g.Zeros(new Shape(2, 4, 4, 7)), [1, 1], "SAME")).Message);
    }

    public static TheoryData<int[], int[], int, int, string> FastCases => new()
    {
        { new[] { 3, 28, 28, 1 }, new[] { 5, 5, 1, 8 }, 1, 1, "SAME" },
        { new[] { 3, 28, 28, 1 }, new[] { 5, 5, 1, 32 }, 1, 1, "SAME" }, // one channel: SingleChannelConv (with AVX-512)
        { new[] { 7, 28, 28, 8 }, new[] { 5, 5, 8, 16 }, 1, 1, "SAME" }, // several chunks of images
        { new[] { 31, 12, 11, 2 }, new[] { 3, 3, 2, 4 }, 1, 1, "SAME" }, // uneven groups of many images
        { new[] { 2, 14, 13, 5 }, new[] { 5, 5, 5, 7 }, 2, 2, "SAME" },
        { new[] { 1, 1, 1, 1 }, new[] { 1, 1, 1, 1 }, 1, 1, "VALID" },
        { new[] { 2, 3, 2, 3 }, new[] { 3, 3, 3, 2 }, 1, 1, "SAME" },
        { new[] { 3, 9, 6, 3 }, new[] { 4, 1, 3, 5 }, 3, 2, "VALID" },
        { new[] { 1, 5, 5, 2 }, new[] { 1, 1, 2, 3 }, 3, 3, "SAME" },
        // K = 270 > the GEMM's 256-deep panels, the second one not a multiple of 16 deep; two images, so three
        // threads take the chunked im2col path and one or two the packed patches: the bits must agree.
        { new[] { 2, 7, 9, 30 }, new[] { 3, 3, 30, 17 }, 1, 1, "SAME" },
        { new[] { 4, 12, 12, 32 }, new[] { 5, 5, 32, 20 }, 2, 2, "SAME" },
    };

    // The float32 kernels (im2col + GEMM) against the reference loops run on the same float inputs. One, two and
    // three threads cover both schedules: image groups per worker, and shared chunks (for batches smaller than
    // the pool, and for the filter gradient). Forward and input gradient give the same bits on any thread count;
    // the filter gradient's chunks are whole rounds of the pool, so its summation order follows the thread count.
    [Theory, MemberData(nameof(FastCases))]
    public unsafe void FastKernelsMatchReference(int[] x, int[] f, int sh, int sw, string padding)
    {
        var xv = TestValues.Floats(x.Aggregate(1, (a, b) => a * b), 11);
        var fv = TestValues.Floats(f.Aggregate(1, (a, b) => a * b), 12);
        var yShape = OutShape(x, f, sh, sw, padding);
        var dyv = TestValues.Floats(yShape.Aggregate(1, (a, b) => a * b), 13);
        var g = new Graph();
        Tensor xt = g.Constant(xv, x), ft = g.Constant(fv, f), dyt = g.Constant(dyv, yShape);
        var fetches = new[]
        {
            Tf.Conv2D(xt, ft, [sh, sw], padding),
            Tf.Conv2DBackpropInput(xt, ft, dyt, [sh, sw], padding),
            Tf.Conv2DBackpropFilter(xt, ft, dyt, [sh, sw], padding),
        };
        var w = Window.Of(new Shape(x), f[0], f[1], (sh, sw), padding == "SAME");
        var expected = new[] { new float[dyv.Length], new float[xv.Length], new float[fv.Length] };
        fixed (float* px = xv, pf = fv, pdy = dyv, py = expected[0], pdx = expected[1], pdf = expected[2])
        {
            ConvKernels.Forward(w, f[3], px, pf, py);
            ConvKernels.BackpropInput(w, f[3], pf, pdy, pdx);
            ConvKernels.BackpropFilter(w, f[3], px, pdy, pdf);
        }

        float[][]? oneThread = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var backend = BackendCatalog.Builtin.Create("cpu", new BackendOptions(threads));
            using var s = new Session(g, backend);
            var fast = s.Run(fetches).Select(t => t.ToFloatArray()).ToArray();
            for (int k = 0; k < 3; k++)
            {
                for (int i = 0; i < fast[k].Length; i++)
                    Assert.True(Math.Abs(fast[k][i] - expected[k][i]) <= 1e-4f * (1 + Math.Abs(expected[k][i])),
                        $"{fetches[k].Op.Type}[{i}] on {threads} thread(s): fast {fast[k][i]}, reference {expected[k][i]}");
                if (oneThread is not null && k < 2) Assert.Equal(oneThread[k], fast[k]);
            }
            oneThread ??= fast;
        }
    }

    // The fast kernels gather patches straight into the GEMM's packed strips; they must give exactly the bits of
    // im2col into a cols matrix followed by the GEMM on it (y = cols · f, df = colsᵀ · dy), which is what they
    // replaced. On one thread the batch is one group, so each op is one GEMM call here too; on two and three threads
    // the forward product is split by images, or (batches smaller than the pool) by ranges of output rows.
    [Theory]
    [InlineData(new[] { 3, 28, 28, 1 }, new[] { 3, 3, 1, 32 }, 1, "VALID")]
    [InlineData(new[] { 2, 9, 10, 32 }, new[] { 3, 3, 32, 32 }, 1, "VALID")]    // K = 288: two panels, 256 and 32 deep
    [InlineData(new[] { 2, 8, 7, 30 }, new[] { 5, 5, 30, 19 }, 2, "SAME")]      // 750 = 256 + 256 + 238, padding
    [InlineData(new[] { 5, 6, 6, 3 }, new[] { 4, 2, 3, 7 }, 3, "SAME")]
    [InlineData(new[] { 1, 14, 14, 32 }, new[] { 5, 5, 32, 64 }, 1, "SAME")]    // deep's conv2 at batch 1 (predict)
    public unsafe void PackedPatchesGiveTheBitsOfIm2ColAndGemm(int[] x, int[] f, int stride, string padding)
    {
        var xv = TestValues.Floats(x.Aggregate(1, (a, b) => a * b), 21);
        var fv = TestValues.Floats(f.Aggregate(1, (a, b) => a * b), 22);
        var yShape = OutShape(x, f, stride, stride, padding);
        var dyv = TestValues.Floats(yShape.Aggregate(1, (a, b) => a * b), 23);
        var g = new Graph();
        Tensor xt = g.Constant(xv, x), ft = g.Constant(fv, f), dyt = g.Constant(dyv, yShape);
        Tensor[] fetches = [Tf.Conv2D(xt, ft, [stride, stride], padding), Tf.Conv2DBackpropFilter(xt, ft, dyt, [stride, stride], padding)];
        var fast = new[] { 1, 2, 3 }.Select(threads =>
        {
            using var backend = BackendCatalog.Builtin.Create("cpu", new BackendOptions(threads));
            using var s = new Session(g, backend);
            return s.Run(fetches).Select(t => t.ToFloatArray()).ToArray();
        }).ToArray();

        var w = Window.Of(new Shape(x), f[0], f[1], (stride, stride), padding == "SAME");
        int rows = w.N * w.OH * w.OW, k = w.KH * w.KW * w.C, cout = f[3];
        var cols = new float[rows * k];
        for (int n = 0, row = 0; n < w.N; n++)
            for (int oh = 0; oh < w.OH; oh++)
                for (int ow = 0; ow < w.OW; ow++, row++)
                    for (int kh = 0, e = 0; kh < w.KH; kh++)
                        for (int kw = 0; kw < w.KW; kw++)
                            for (int ci = 0; ci < w.C; ci++, e++)
                            {
                                int ih = oh * w.SH - w.PadTop + kh, iw = ow * w.SW - w.PadLeft + kw;
                                bool inside = ih >= 0 && ih < w.H && iw >= 0 && iw < w.W;
                                cols[row * k + e] = inside ? xv[((n * w.H + ih) * w.W + iw) * w.C + ci] : 0f;
                            }
        var y = new float[rows * cout];
        var df = new float[k * cout];
        fixed (float* pc = cols, pf = fv, pdy = dyv, py = y, pdf = df)
        {
            Gemm.Multiply(false, false, rows, cout, k, pc, k, pf, cout, py, cout, accumulate: false, pool: null);
            Gemm.Multiply(true, false, k, cout, rows, pc, k, pdy, cout, pdf, cout, accumulate: false, pool: null);
        }
        Assert.All(fast, onThreads => Assert.Equal(y, onThreads[0]));
        // More threads sum the filter gradient's image ranges separately (deterministic for a thread count).
        Assert.Equal(df, fast[0][1]);
    }

    internal static int[] OutShape(int[] x, int[] f, int sh, int sw, string padding) => padding == "SAME"
        ? [x[0], (x[1] + sh - 1) / sh, (x[2] + sw - 1) / sw, f[3]]
        : [x[0], (x[1] - f[0] + sh) / sh, (x[2] - f[1] + sw) / sw, f[3]];

    // TF's definition written out directly: SAME pads max((O − 1)·s + K − I, 0) in total, the smaller half first.
    private static (double[] Y, int[] Shape) NaiveConv(double[] x, int[] xs, double[] f, int[] fs, int sh, int sw, bool same)
    {
        var shape = OutShape(xs, fs, sh, sw, same ? "SAME" : "VALID");
        int padTop = same ? Math.Max((shape[1] - 1) * sh + fs[0] - xs[1], 0) / 2 : 0;
        int padLeft = same ? Math.Max((shape[2] - 1) * sw + fs[1] - xs[2], 0) / 2 : 0;
        var y = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int n = 0; n < shape[0]; n++)
            for (int i = 0; i < shape[1]; i++)
                for (int j = 0; j < shape[2]; j++)
                    for (int co = 0; co < shape[3]; co++)
                    {
                        double sum = 0;
                        for (int di = 0; di < fs[0]; di++)
                            for (int dj = 0; dj < fs[1]; dj++)
                                for (int ci = 0; ci < xs[3]; ci++)
                                {
                                    int r = i * sh + di - padTop, c = j * sw + dj - padLeft;
                                    double v = r < 0 || r >= xs[1] || c < 0 || c >= xs[2] ? 0 : x[((n * xs[1] + r) * xs[2] + c) * xs[3] + ci];
                                    sum += v * f[((di * fs[1] + dj) * fs[2] + ci) * fs[3] + co];
                                }
                        y[((n * shape[1] + i) * shape[2] + j) * shape[3] + co] = sum;
                    }
        return (y, shape);
    }
}
