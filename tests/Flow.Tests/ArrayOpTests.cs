using Flow.Backends.Cpu;

namespace Flow.Tests;

/// <summary>Concat, Transpose, OneHot, ReduceMin and softmax along any axis: values, gradients, fast paths against the reference.</summary>
public class ArrayOpTests
{
    private static HostTensor In(int seed, params int[] shape) => GradientCheck.Input(shape, seed);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void ConcatGradient(int axis)
    {
        int[] a = [2, 3, 4], b = [2, 3, 4];
        int ax = axis < 0 ? axis + 3 : axis;
        b[ax] = 1;
        int[] c = [2, 3, 4];
        c[ax] = 5;
        GradientCheck.Check(x => Tf.Concat([x[0], x[1], x[2]], axis), In(1, a), In(2, b), In(3, c));
    }

    [Fact]
    public void ConcatSliceGradientIsAConcatAmongZeros() =>
        GradientCheck.Check(x => Tf.ConcatSlice(x[0], [x[1], x[2]], 1, 1), [In(4, 3, 5), In(5, 3, 2), In(6, 3, 3)], [true, false, false]);

    [Fact]
    public void ConcatJoinsAlongAnAxisWithAnUnknownBatch()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(-1, 2), "a");
        var b = g.Placeholder(DType.Float32, new Shape(-1, 1), "b");
        var y = Tf.Concat([a, b], 1);
        Assert.Equal(new Shape(-1, 3), y.Shape);
        Assert.Throws<ShapeException>(() => Tf.Concat([a, g.Zeros(new Shape(2, 2, 1))], 0));
        TestBackends.Each(g, (s, backend) =>
            Assert.Equal([1f, 2f, 9f, 3f, 4f, 8f], s.Run(y, new FeedDict { [a] = HostTensor.From([1f, 2f, 3f, 4f], 2, 2), [b] = HostTensor.From([9f, 8f], 2, 1) }).ToFloatArray()));
    }

    public static TheoryData<int[], int[]> Permutations => new()
    {
        { new[] { 7, 17 }, new[] { 1, 0 } },
        { new[] { 16, 15 }, new[] { 1, 0 } },
        { new[] { 1, 33 }, new[] { 1, 0 } },
        { new[] { 3, 7, 5, 16 }, new[] { 0, 3, 1, 2 } },   // NHWC → NCHW
        { new[] { 2, 16, 17, 1 }, new[] { 0, 2, 1, 3 } },
        { new[] { 3, 4, 5 }, new[] { 2, 0, 1 } },
        { new[] { 2, 3, 4, 5 }, new[] { 3, 2, 1, 0 } },
        { new[] { 15, 1, 17 }, new[] { 2, 1, 0 } },
        { new[] { 4, 6 }, new[] { 0, 1 } },
        { new[] { 5, 1, 7, 2 }, new[] { 1, 3, 0, 2 } },
    };

    [Theory, MemberData(nameof(Permutations))]
    public void TransposeMatchesIndexArithmeticAndTheReference(int[] dims, int[] perm)
    {
        int n = dims.Aggregate(1, (p, d) => p * d);
        var x = TestValues.Floats(n, n);
        var outDims = perm.Select(p => dims[p]).ToArray();
        var expected = new float[n];
        var inStrides = new int[dims.Length];
        for (int d = dims.Length - 1, st = 1; d >= 0; st *= dims[d], d--) inStrides[d] = st;
        var idx = new int[dims.Length];
        for (int k = 0; k < n; k++)
        {
            for (int d = dims.Length - 1, rest = k; d >= 0; rest /= outDims[d], d--) idx[d] = rest % outDims[d];
            expected[k] = x[idx.Select((v, d) => v * inStrides[perm[d]]).Sum()];
        }
        var reference = new float[n];
        unsafe
        {
            fixed (float* px = x, py = reference) TransposeKernels.Reference(px, dims, perm, py);
        }
        Assert.Equal(expected, reference);
        var g = new Graph();
        var p = g.Placeholder(DType.Float32, new Shape(dims), "x");
        var y = Tf.Transpose(p, perm);
        Assert.Equal(new Shape(outDims), y.Shape);
        TestBackends.Each(g, (s, backend) => Assert.Equal(expected, s.Run(y, new FeedDict { [p] = HostTensor.From(x, dims) }).ToFloatArray()));
    }

    [Fact]
    public void TransposeSimplifiesToABatchedSwapForNhwcToNchw()
    {
        var (dims, perm) = TransposeKernels.Simplify([2, 3, 4, 5], [0, 3, 1, 2]);
        Assert.Equal([2, 12, 5], dims);
        Assert.Equal([0, 2, 1], perm);
        (dims, perm) = TransposeKernels.Simplify([1, 6, 1], [2, 1, 0]);
        Assert.Equal([6], dims);
        Assert.Equal([0], perm);
        Assert.Throws<ArgumentException>(() => Tf.Transpose(new Graph().Zeros(new Shape(2, 3)), [0, 0]));
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 1, 0 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 0, 1 })]
    public void TransposeGradient(int[] shape, int[] perm) => GradientCheck.Check(x => Tf.Transpose(x[0], perm), In(7, shape));

    [Fact]
    public void OneHotPutsOnValuesAlongTheNewAxis()
    {
        var g = new Graph();
        var idx = g.Constant([0, 2, -1, 3], 2, 2);
        var last = Tf.OneHot(idx, 3);
        var first = Tf.OneHot(idx, 3, onValue: 5, offValue: -1, axis: 0, dtype: DType.Int32);
        Assert.Equal(new Shape(2, 2, 3), last.Shape);
        Assert.Equal(new Shape(3, 2, 2), first.Shape);
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([last, first]);
            // Indices −1 and 3 are outside [0, 3): their rows are all off, as in TF.
            Assert.Equal([1f, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], r[0].ToFloatArray());
            Assert.Equal([5, -1, -1, -1, -1, -1, -1, -1, -1, 5, -1, -1], r[1].AsSpan<int>().ToArray());
        });
        Assert.True(Tf.OneHotDef.NotDifferentiable);
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 0 })]
    [InlineData(new[] { 3, 4 }, new[] { 1 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 0, 2 })]
    public void ReduceMinGradient(int[] shape, int[] axes) => GradientCheck.Check(x => Tf.ReduceMin(x[0], axes), In(8, shape));

    [Fact]
    public void ReduceMinSplitsTheGradientBetweenTies()
    {
        var g = new Graph();
        var x = g.Constant(HostTensor.From([1.0, 1.0, 2.0, 4.0, 3.0, 5.0], 2, 3));
        var m = Tf.ReduceMin(x, 1);
        var all = Tf.ReduceMin(x);
        var dx = Tf.Gradients([Tf.ReduceSum(m)], [x])[0]!;
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([m, all, dx]);
            Assert.Equal([1.0, 3.0], r[0].AsSpan<double>().ToArray());
            Assert.Equal(1.0, r[1].ScalarValue());
            Assert.Equal([0.5, 0.5, 0, 0, 1, 0], r[2].AsSpan<double>().ToArray());
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-2)]
    public void SoftmaxAlongAnyAxis(int axis)
    {
        GradientCheck.Check(x => Tf.Softmax(x[0], axis), In(9, 2, 3, 4));
        var x = TestValues.Values(24, 1);
        var g = new Graph();
        var y = Tf.Softmax(g.Constant(HostTensor.From(x, 2, 3, 4)), axis);
        int a = axis < 0 ? axis + 3 : axis;
        int[] dims = [2, 3, 4], strides = [12, 4, 1];
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run(y).AsSpan<double>().ToArray();
            // Each line along the axis sums to 1 and is exp(x)/Σexp(x) of that line.
            for (int k = 0; k < 24; k++)
            {
                int start = k - (k / strides[a] % dims[a]) * strides[a];
                double sum = Enumerable.Range(0, dims[a]).Sum(j => Math.Exp(x[start + j * strides[a]]));
                Assert.Equal(Math.Exp(x[k]) / sum, r[k], 12);
            }
        });
    }

    [Theory]
    [InlineData(new[] { 999 }, false)]
    [InlineData(new[] { 1000 }, true)]
    [InlineData(new[] { 3136, 1024 }, true)]
    [InlineData(new[] { 7, 11, 13 }, true)]
    public void LargeFillsAreAnOpAndSmallOnesAConstantWithTheSameValues(int[] dims, bool isOp)
    {
        var g = new Graph();
        var shape = new Shape(dims);
        var f32 = g.Fill(shape, 0.1);
        var f64 = g.Fill(shape, -2.5, DType.Float64);
        var i32 = g.Fill(shape, 7, DType.Int32);
        Assert.All(new[] { f32, f64, i32 }, t => Assert.Equal(isOp ? Graph.FillDef : Graph.ConstDef, t.Op.Def));
        Assert.Equal(shape, f32.Shape);
        TestBackends.Each(g, (s, _) =>
        {
            var r = s.Run([f32, f64, i32]);
            Assert.Equal(shape, r[0].Shape);
            Assert.All(r[0].AsSpan<float>().ToArray(), v => Assert.Equal(0.1f, v));
            Assert.All(r[1].AsSpan<double>().ToArray(), v => Assert.Equal(-2.5, v));
            Assert.All(r[2].AsSpan<int>().ToArray(), v => Assert.Equal(7, v));
        });
    }

    [Fact]
    public void AVariableInitialisedByALargeFillHoldsItsValueAndBadFillsAreRefused()
    {
        var g = new Graph();
        var v = g.Variable(g.Fill(new Shape(40, 50), 0.25), "v");
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        Assert.All(s.GetValue(v).ToFloatArray(), e => Assert.Equal(0.25f, e));
        Assert.Throws<ShapeException>(() => g.Fill(new Shape(-1, 2000), 0));
        Assert.Throws<OverflowException>(() => g.Fill(new Shape(2000), 1e12, DType.Int32));
    }
}
