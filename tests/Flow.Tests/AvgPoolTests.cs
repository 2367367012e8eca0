using Flow.Backends.Cpu;

namespace Flow.Tests;

/// <summary>AvgPool with TF's border rule (SAME divides by the real cells), its gradient, and the float32 fast path against the reference.</summary>
public class AvgPoolTests
{
    private static HostTensor Image3x3() => HostTensor.From([1f, 2, 3, 4, 5, 6, 7, 8, 9], 1, 3, 3, 1);

    private static float[] Pool(HostTensor x, int k, int stride, string padding)
    {
        var g = new Graph();
        var y = Tf.AvgPool(g.Constant(x), [k, k], [stride, stride], padding);
        float[]? first = null;
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run(y).ToFloatArray();
            if (first is null) first = r;
            else Assert.Equal(first, r);
        });
        return first!;
    }

    [Fact]
    public void SameDividesByTheCellsInsideTheImage()
    {
        // 2×2/2 on 3×3 pads one row and column after: the border windows hold 2, 2 and 1 real cells.
        Assert.Equal([3f, 4.5f, 7.5f, 9f], Pool(Image3x3(), 2, 2, "SAME"));
        // 3×3/1 pads one cell all round: a corner averages 4 cells, an edge 6, the centre all 9.
        Assert.Equal([3f, 3.5f, 4f, 4.5f, 5f, 5.5f, 6f, 6.5f, 7f], Pool(Image3x3(), 3, 1, "SAME"));
        Assert.Equal([3f, 4f, 6f, 7f], Pool(Image3x3(), 2, 1, "VALID"));
        Assert.Equal([3f], Pool(Image3x3(), 2, 2, "VALID"));
    }

    [Fact]
    public void TheGradientSpreadsEachDyOverItsRealCells()
    {
        var g = new Graph();
        var x = g.Constant(Image3x3());
        var dx = Tf.Gradients([Tf.ReduceSum(Tf.AvgPool(x, [2, 2], [2, 2], "SAME"))], [x])[0]!;
        TestBackends.Each(g, (s, backend) =>
            Assert.Equal([0.25f, 0.25f, 0.5f, 0.25f, 0.25f, 0.5f, 0.5f, 0.5f, 1f], s.Run(dx).ToFloatArray()));
    }

    [Theory]
    [InlineData(2, 2, "SAME")]
    [InlineData(3, 2, "SAME")]
    [InlineData(3, 1, "VALID")]
    public void Gradients(int k, int stride, string padding)
    {
        GradientCheck.Check(x => Tf.AvgPool(x[0], [k, k], [stride, stride], padding), GradientCheck.Input([2, 5, 4, 3], 3));
        var pooled = Tf.AvgPool(new Graph().Zeros(new Shape(2, 5, 4, 3), DType.Float64), [k, k], [stride, stride], padding).Shape.ToArray();
        // AvgPoolGrad is linear in dy; its gradient there is AvgPool.
        GradientCheck.Check(x => Tf.AvgPoolGrad(x[0], x[1], new PoolAttributes(k, k, stride, stride, Enum.Parse<Padding>(padding, true))),
            [GradientCheck.Input([2, 5, 4, 3], 4), GradientCheck.Input(pooled, 5)], [false, true]);
    }

    public static TheoryData<int, int, int, int, int, int, string> Shapes => new()
    {
        { 1, 1, 1, 1, 1, 1, "SAME" },
        { 2, 7, 15, 16, 2, 2, "SAME" },
        { 3, 16, 17, 17, 3, 2, "SAME" },
        { 1, 15, 7, 7, 3, 1, "SAME" },
        { 2, 17, 16, 15, 2, 2, "VALID" },
        { 1, 9, 11, 33, 3, 3, "VALID" },
    };

    [Theory, MemberData(nameof(Shapes))]
    public unsafe void FastPathGivesTheReferenceBits(int n, int h, int w, int c, int k, int stride, string padding)
    {
        var x = TestValues.Floats(n * h * w * c, h * w + c);
        var g = new Graph();
        var xp = g.Placeholder(DType.Float32, new Shape(n, h, w, c), "x");
        var y = Tf.AvgPool(xp, [k, k], [stride, stride], padding);
        var dy = g.Placeholder(DType.Float32, y.Shape, "dy");
        var dx = Tf.Gradients([Tf.ReduceSum(y * dy)], [xp])[0]!;
        var window = y.Op.Attrs<PoolAttributes>().WindowFor(xp.Shape);
        var dyValues = TestValues.Floats(y.Shape.Size, 3);
        float[] expectY = new float[y.Shape.Size], expectDx = new float[x.Length];
        fixed (float* px = x, py = expectY, pdy = dyValues, pdx = expectDx)
        {
            AvgPoolKernels.AvgPool(window, px, py);
            AvgPoolKernels.AvgPoolGrad(window, pdy, pdx);
        }
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([y, dx], new FeedDict { [xp] = HostTensor.From(x, n, h, w, c), [dy] = HostTensor.From(dyValues, y.Shape.ToArray()) });
            Assert.Equal(expectY, r[0].ToFloatArray());
            Assert.Equal(expectDx, r[1].ToFloatArray());
        });
    }
}
