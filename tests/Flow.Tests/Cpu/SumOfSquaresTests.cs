using Flow.Backends.Cpu;

namespace Flow.Tests.Cpu;

/// <summary>L2Loss's vectorised sum of squares against the sum written out in double, edge sizes included.</summary>
public unsafe class SumOfSquaresTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(1_605_633)]   // lenet's fc1 weights and one more: a tail after the whole vectors
    public void MatchesTheSumInDouble(int n)
    {
        var x = TestValues.Floats(n, 41);
        double expected = x.Sum(v => (double)v * v);
        float sum;
        fixed (float* p = x) sum = NnKernels.SumOfSquares(p, n);
        Assert.True(Math.Abs(sum - expected) <= 1e-5 * (1 + expected), $"n = {n}: {sum} against {expected}");
        var doubles = x.Select(v => (double)v).ToArray();
        fixed (double* p = doubles) Assert.Equal(expected, NnKernels.SumOfSquares(p, n), 1e-9 * (1 + expected));
    }

    [Fact]
    public void L2LossIsHalfTheSum()
    {
        var x = TestValues.Floats(100, 42);
        var g = new Graph();
        using var s = new Session(g);
        float loss = s.Run(Tf.L2Loss(g.Constant(x, [100]))).ToFloatArray()[0];
        Assert.Equal(x.Sum(v => (double)v * v) / 2, loss, 1e-4);
    }
}
