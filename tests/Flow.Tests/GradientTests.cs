namespace Flow.Tests;

/// <summary>A numerical gradient check for every differentiable op, over several shapes and broadcasts.</summary>
public class GradientTests
{
    private static HostTensor In(params int[] shape) => GradientCheck.Input(shape, shape.Sum() * 31 + shape.Length);
    private static HostTensor Positive(params int[] shape) => GradientCheck.Input(shape, shape.Sum() * 17 + 3, 0.5, 2);

    public static TheoryData<int[], int[]> BroadcastPairs => new()
    {
        { new[] { 3, 4 }, new[] { 3, 4 } },
        { new[] { 3, 4 }, new[] { 4 } },
        { new[] { 3, 1 }, new[] { 1, 4 } },
        { new[] { 2, 3, 4 }, new[] { 3, 1 } },
        { new[] { 5 }, new int[0] },
        { new int[0], new[] { 2, 2 } },
    };

    [Theory, MemberData(nameof(BroadcastPairs))]
    public void Add(int[] a, int[] b) => GradientCheck.Check(x => x[0] + x[1], In(a), In(b));

    [Theory, MemberData(nameof(BroadcastPairs))]
    public void Sub(int[] a, int[] b) => GradientCheck.Check(x => x[0] - x[1], In(a), In(b));

    [Theory, MemberData(nameof(BroadcastPairs))]
    public void Mul(int[] a, int[] b) => GradientCheck.Check(x => x[0] * x[1], In(a), In(b));

    [Theory, MemberData(nameof(BroadcastPairs))]
    public void Div(int[] a, int[] b) => GradientCheck.Check(x => x[0] / x[1], In(a), Positive(b));

    [Theory, MemberData(nameof(BroadcastPairs))]
    public void Maximum(int[] a, int[] b) => GradientCheck.Check(x => Tf.Maximum(x[0], x[1]), In(a), GradientCheck.Input(b, 5));

    [Theory]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 2, 3, 4 })]
    public void Unary(int[] shape)
    {
        GradientCheck.Check(x => -x[0], In(shape));
        GradientCheck.Check(x => Tf.Exp(x[0]), In(shape));
        GradientCheck.Check(x => Tf.Log(x[0]), Positive(shape));
        GradientCheck.Check(x => Tf.Square(x[0]), In(shape));
        GradientCheck.Check(x => Tf.Sqrt(x[0]), Positive(shape));
        GradientCheck.Check(x => Tf.Identity(x[0]), In(shape));
        GradientCheck.Check(x => Tf.Reshape(x[0], new Shape(-1)), In(shape));
    }

    [Theory]
    [InlineData(new[] { 9 })]
    [InlineData(new[] { 3, 5 })]
    public void Relu(int[] shape)
    {
        // Keep inputs away from the kink at 0, where the derivative does not exist.
        var x = In(shape);
        foreach (ref var v in x.AsSpan<double>()) v = v < 0 ? v - 0.1 : v + 0.1;
        GradientCheck.Check(t => Tf.Relu(t[0]), x);
    }

    [Theory]
    [InlineData(false, false, 3, 4, 5)]
    [InlineData(false, true, 2, 3, 4)]
    [InlineData(true, false, 4, 1, 3)]
    [InlineData(true, true, 1, 5, 2)]
    public void MatMul(bool ta, bool tb, int m, int n, int k) =>
        GradientCheck.Check(x => Tf.MatMul(x[0], x[1], ta, tb), In(ta ? [k, m] : [m, k]), In(tb ? [n, k] : [k, n]));

    [Theory]
    [InlineData(new[] { 4, 3 })]
    [InlineData(new[] { 2, 3, 3, 5 })]
    public void BiasAdd(int[] shape) => GradientCheck.Check(x => Tf.BiasAdd(x[0], x[1]), In(shape), In(shape[^1]));

    [Theory]
    [InlineData(new[] { 3, 5 })]
    [InlineData(new[] { 2, 2, 4 })]
    public void Softmax(int[] shape)
    {
        GradientCheck.Check(x => Tf.Softmax(x[0]), In(shape));
        GradientCheck.Check(x => Tf.LogSoftmax(x[0]), In(shape));
    }

    [Fact]
    public void SoftmaxCrossEntropyWithLogits_BothInputs() =>
        // Soft labels (a distribution per row) so the labels' gradient is meaningful too.
        GradientCheck.Check(x => Tf.SoftmaxCrossEntropyWithLogits(Tf.Softmax(x[0]), x[1]), In(4, 6), In(4, 6) );

    [Fact]
    public void SparseSoftmaxCrossEntropyWithLogits() =>
        GradientCheck.Check(x => Tf.SparseSoftmaxCrossEntropyWithLogits(x[1], x[0]),
            [In(5, 4), HostTensor.From([0, 3, 1, 2, 3], 5)], [true, false]);

    [Fact]
    public void L2Loss() => GradientCheck.Check(x => Tf.L2Loss(x[0]), In(3, 4));

    public static TheoryData<int[], int[]?, bool> Reductions => new()
    {
        { new[] { 3, 4 }, null, false },
        { new[] { 3, 4 }, new[] { 1 }, false },
        { new[] { 3, 4 }, new[] { 0 }, true },
        { new[] { 2, 3, 4 }, new[] { 0, 2 }, false },
        { new[] { 2, 3, 4 }, new[] { -1 }, true },
        { new[] { 6 }, new[] { 0 }, false },
    };

    [Theory, MemberData(nameof(Reductions))]
    public void ReduceSum(int[] shape, int[]? axes, bool keep) => GradientCheck.Check(x => Tf.ReduceSum(x[0], axes, keep), In(shape));

    [Theory, MemberData(nameof(Reductions))]
    public void ReduceMean(int[] shape, int[]? axes, bool keep) => GradientCheck.Check(x => Tf.ReduceMean(x[0], axes, keep), In(shape));

    [Theory, MemberData(nameof(Reductions))]
    public void ReduceMax(int[] shape, int[]? axes, bool keep) => GradientCheck.Check(x => Tf.ReduceMax(x[0], axes, keep), In(shape));

    [Fact]
    public void BroadcastPairIsEachOthersGradient()
    {
        GradientCheck.Check(x => Tf.BroadcastLike(x[0], x[1]), [In(3, 1), In(2, 3, 4)], [true, false]);
        GradientCheck.Check(x => Tf.SumTo(x[0], x[1]), [In(2, 3, 4), In(3, 1)], [true, false]);
    }

    [Fact]
    public void FanInIsSummed() => GradientCheck.Check(x => x[0] * x[0] + Tf.Exp(x[0]) * x[1], In(3, 2), In(2));

    [Fact]
    public void MissingGradientNamesTheOp()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(3), "x");
        var y = Tf.Cast(Tf.ArgMax(Tf.Reshape(x, new Shape(1, 3)), 1), DType.Float32);
        Assert.Null(Tf.Gradients([Tf.ReduceSum(y)], [x])[0]);
        var mystery = g.AddOp(new OpDef("Mystery", ShapeRules.SameAsInput0, null), "puzzle", [x], [DType.Float32]).Output;
        var ex = Assert.Throws<InvalidOperationException>(() => Tf.Gradients([Tf.ReduceSum(mystery)], [x]));
        Assert.Contains("'puzzle'", ex.Message);
        Assert.Contains("Mystery", ex.Message);
    }
}
