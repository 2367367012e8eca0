using Flow.Backends.Cpu;

namespace Flow.Tests;

/// <summary>
/// Sigmoid, tanh, sin, cos, abs, sign, minimum and pow: numerical gradients in double, and the SIMD kernels against
/// the scalar reference forms at sizes around the vector width and the chunk size (body and odd tails).
/// </summary>
public class ElementwiseOpTests
{
    public static TheoryData<int> Sizes => new() { 1, 7, 15, 16, 17, 31, 33, 1001, 16385 };

    private static HostTensor In(params int[] shape) => GradientCheck.Input(shape, shape.Sum() * 13 + 1, -3, 3);
    private static HostTensor Positive(params int[] shape) => GradientCheck.Input(shape, shape.Sum() * 7 + 5, 0.5, 2);
    private static HostTensor AwayFromZero(params int[] shape)
    {
        var x = In(shape);
        foreach (ref var v in x.AsSpan<double>()) v = v < 0 ? v - 0.1 : v + 0.1;
        return x;
    }

    [Theory]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 2, 3, 4 })]
    public void UnaryGradients(int[] shape)
    {
        GradientCheck.Check(x => Tf.Sigmoid(x[0]), In(shape));
        GradientCheck.Check(x => Tf.Tanh(x[0]), In(shape));
        GradientCheck.Check(x => Tf.Sin(x[0]), In(shape));
        GradientCheck.Check(x => Tf.Cos(x[0]), In(shape));
        GradientCheck.Check(x => Tf.Abs(x[0]), AwayFromZero(shape));
        GradientCheck.Check(x => Tf.Sign(x[0]) * x[0], AwayFromZero(shape));
    }

    [Theory, MemberData(nameof(GradientTests.BroadcastPairs), MemberType = typeof(GradientTests))]
    public void MinimumGradient(int[] a, int[] b) => GradientCheck.Check(x => Tf.Minimum(x[0], x[1]), In(a), GradientCheck.Input(b, 11, -3, 3));

    [Theory, MemberData(nameof(GradientTests.BroadcastPairs), MemberType = typeof(GradientTests))]
    public void PowGradientInBaseAndExponent(int[] a, int[] b) =>
        GradientCheck.Check(x => Tf.Pow(x[0], x[1]), Positive(a), GradientCheck.Input(b, 3, -1.5, 1.5));

    [Fact]
    public void PowOfNegativeBasesWithAWholeExponent()
    {
        // (−2)³ = −8: the base's gradient is 3a², the exponent's is taken as 0 where a ≤ 0 (TF's rule).
        GradientCheck.Check(x => Tf.Pow(x[0], 3.0), In(9));
        var g = new Graph();
        var a = g.Constant(HostTensor.From([-2.0, 0.0, 2.0], 3));
        var b = g.Placeholder(DType.Float64, new Shape(), "b");
        var z = Tf.Pow(a, b);
        var db = Tf.Gradients([Tf.ReduceSum(z)], [b])[0]!;
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([z, db], new FeedDict { [b] = HostTensor.Scalar(3.0) });
            Assert.Equal([-8.0, 0.0, 8.0], r[0].AsSpan<double>().ToArray());
            Assert.Equal(8 * Math.Log(2), r[1].ScalarValue(), 12);
        });
    }

    [Fact]
    public void MinimumSendsTiesToTheFirstInputAndSignKeepsZeroAndNaN()
    {
        var g = new Graph();
        var a = g.Constant(HostTensor.From([1.0, 2.0, 3.0], 3));
        var b = g.Constant(HostTensor.From([1.0, 1.0, 4.0], 3));
        var grads = Tf.Gradients([Tf.ReduceSum(Tf.Minimum(a, b))], [a, b]);
        var sign = Tf.Sign(g.Constant(HostTensor.From([-3f, 0f, 2f, float.NaN, -0f], 5)));
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([grads[0]!, grads[1]!, sign]);
            Assert.Equal([1.0, 0.0, 1.0], r[0].AsSpan<double>().ToArray());
            Assert.Equal([0.0, 1.0, 0.0], r[1].AsSpan<double>().ToArray());
            var signs = r[2].ToFloatArray();
            Assert.Equal([-1f, 0f, 1f], signs[..3]);
            Assert.True(float.IsNaN(signs[3]));
            Assert.True(float.IsNegative(signs[4]) && signs[4] == 0);
        });
    }

    private static float[] RunUnary(Func<Tensor, Tensor> f, float[] x) => FastPathTests.Run((_, t) => f(t), x);

    private static void AssertClose(float[] expected, float[] actual, float relative, string what)
    {
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= relative * Math.Max(Math.Abs(expected[k]), 1e-30f),
                $"{what}[{k}]: reference {expected[k]:R}, fast {actual[k]:R}");
    }

    // Values over the whole useful range: tiny (tanh's series), around ±0.25 (its switch), large (saturation).
    private static float[] Spread(int n, int seed) =>
        TestValues.Values(n, seed).Select((v, k) => (float)(k % 3 == 0 ? v * 0.3 : k % 3 == 1 ? v * 12 : v * 1e-3)).ToArray();

    [Theory, MemberData(nameof(Sizes))]
    public void SigmoidAndTanhFastPathsAgreeWithTheReference(int n)
    {
        var x = Spread(n, n);
        // The vector exp differs from MathF.Exp by an ulp or so; float32 results agree to a few ulps.
        AssertClose(x.Select(SigmoidOp<float>.Apply).ToArray(), RunUnary(t => Tf.Sigmoid(t), x), 4e-7f, "sigmoid");
        AssertClose(x.Select(TanhOp<float>.Apply).ToArray(), RunUnary(t => Tf.Tanh(t), x), 6e-7f, "tanh");
        Assert.Equal(x.Select(AbsOp<float>.Apply), RunUnary(t => Tf.Abs(t), x));
        Assert.Equal(x.Select(SignOp<float>.Apply), RunUnary(t => Tf.Sign(t), x));
    }

    [Fact]
    public void SigmoidAndTanhSaturateWithoutNaN()
    {
        float[] x = [-1000f, -90f, -20f, 0f, 20f, 90f, 1000f, -0f, 1e-30f, -1e-30f, 0.25f, -0.25f, 0.2499999f, 88f, -88f, 5f];
        var s = RunUnary(t => Tf.Sigmoid(t), x);
        var t = RunUnary(t => Tf.Tanh(t), x);
        Assert.Equal(0f, s[0]);
        Assert.Equal(1f, s[6]);
        Assert.Equal([-1f, -1f, -1f, 0f, 1f, 1f, 1f], t[..7]);
        Assert.Equal(1e-30f, t[8]);
        AssertClose(x.Select(SigmoidOp<float>.Apply).ToArray(), s, 4e-7f, "sigmoid");
        AssertClose(x.Select(TanhOp<float>.Apply).ToArray(), t, 6e-7f, "tanh");
    }

    [Theory, MemberData(nameof(Sizes))]
    public void MinimumAndPowFastPathsAgreeWithTheReference(int n)
    {
        var a = TestValues.Floats(n, n).Select(v => v + 1.5f).ToArray();
        var b = TestValues.Floats(n, n + 1);
        var g = new Graph();
        var pa = g.Placeholder(DType.Float32, new Shape(n), "a");
        var pb = g.Placeholder(DType.Float32, new Shape(n), "b");
        int m = Math.Min(n, 5);
        var row = g.Placeholder(DType.Float32, new Shape(1, m), "row");
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([Tf.Minimum(pa, pb), Tf.Minimum(pa, 0.25 + pb * 0), Tf.Pow(pa, pb), Tf.Pow(pa, 2.0), Tf.Minimum(Tf.Reshape(pa, new Shape(n, 1)), row)],
                new FeedDict { [pa] = HostTensor.From(a, n), [pb] = HostTensor.From(b, n), [row] = HostTensor.From(b[..m], 1, m) });
            Assert.Equal(a.Zip(b, MinOp<float>.Apply), r[0].ToFloatArray());
            Assert.Equal(a.Select(v => MinOp<float>.Apply(v, 0.25f)), r[1].ToFloatArray());
            Assert.Equal(a.Zip(b, PowOp<float>.Apply), r[2].ToFloatArray());
            Assert.Equal(a.Select(v => MathF.Pow(v, 2f)), r[3].ToFloatArray());
            // The general broadcast [n, 1] with [1, m] (the strided reference walk).
            Assert.Equal(a.SelectMany(p => b[..m].Select(q => MathF.Min(p, q))), r[4].ToFloatArray());
        });
    }
}
