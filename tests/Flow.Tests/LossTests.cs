namespace Flow.Tests;

/// <summary>tf.losses.softmax_cross_entropy: the mean over rows, with labels smoothed towards uniform.</summary>
public class LossTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(1.0)]
    public void SoftmaxCrossEntropyLossSmoothsTheLabels(double smoothing)
    {
        double[] logits = [1.0, -0.5, 2.0, 0.3, 0.0, -1.0];
        double[] labels = [0, 0, 1, 1, 0, 0];
        var g = new Graph();
        var loss = Tf.SoftmaxCrossEntropyLoss(g.Constant(HostTensor.From(labels, 2, 3)), g.Constant(HostTensor.From(logits, 2, 3)), smoothing);
        using var s = new Session(g);
        double expected = 0;
        for (int row = 0; row < 2; row++)
        {
            var z = logits.Skip(row * 3).Take(3).ToArray();
            double logSum = Math.Log(z.Sum(Math.Exp));
            for (int k = 0; k < 3; k++) expected -= (labels[row * 3 + k] * (1 - smoothing) + smoothing / 3) * (z[k] - logSum);
        }
        Assert.Equal(expected / 2, s.Run(loss).ScalarValue(), 12);
    }

    [Fact]
    public void ItsGradientIsTheSoftmaxLessTheSmoothedLabels() =>
        GradientCheck.Check(x => Tf.SoftmaxCrossEntropyLoss(Tf.Softmax(x[1]), x[0], 0.2),
            GradientCheck.Input([3, 4], 5, -2, 2), GradientCheck.Input([3, 4], 9, -2, 2));

    [Fact]
    public void ASmoothingOutsideZeroToOneIsRefused()
    {
        var g = new Graph();
        var t = g.Constant(HostTensor.From(new double[4], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tf.SoftmaxCrossEntropyLoss(t, t, 1.5));
    }
}
