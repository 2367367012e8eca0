namespace Flow.Tests;

public class DropoutTests
{
    private static (HostTensor Y, HostTensor Mask) Run(float keep, int graphSeed, int? seed, int n = 100_000, int runs = 1)
    {
        var g = new Graph(graphSeed);
        var y = Tf.Dropout(g.Ones(new Shape(n)), keep, seed);
        using var s = new Session(g);
        HostTensor[] r = [];
        for (int i = 0; i < runs; i++) r = s.Run([y, y.Op.Outputs[1]]);
        return (r[0], r[1]);
    }

    [Fact]
    public void KeepsAboutKeepProbScaledByItsInverse()
    {
        var y = Run(0.3f, 1, seed: 5).Y.ToFloatArray();
        double kept = y.Count(v => v != 0) / (double)y.Length;
        Assert.InRange(kept, 0.29, 0.31);
        Assert.All(y, v => Assert.True(v == 0 || v == 1f / 0.3f, $"value {v}"));
    }

    [Fact]
    public void DeterministicForASeedAndNewOnEveryRun()
    {
        Assert.Equal(Run(0.5f, 3, seed: 9).Y.ToFloatArray(), Run(0.5f, 3, seed: 9).Y.ToFloatArray());
        Assert.Equal(Run(0.5f, 3, seed: null).Y.ToFloatArray(), Run(0.5f, 3, seed: null).Y.ToFloatArray());
        Assert.NotEqual(Run(0.5f, 3, seed: 9).Y.ToFloatArray(), Run(0.5f, 3, seed: 9, runs: 2).Y.ToFloatArray());
        Assert.NotEqual(Run(0.5f, 3, seed: 9).Y.ToFloatArray(), Run(0.5f, 4, seed: 9).Y.ToFloatArray());
    }

    [Fact]
    public void FedKeepProbOfOneIsTheIdentity()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 64));
        var keep = g.Placeholder(DType.Float32, Shape.Scalar);
        var y = Tf.Dropout(x, keep);
        var xv = TestValues.Floats(50 * 64, 8);
        TestBackends.Each(g, (s, backend) =>
        {
            var feed = new FeedDict { [x] = HostTensor.From(xv, 50, 64), [keep] = HostTensor.Scalar(1f) };
            for (int i = 0; i < 20; i++) Assert.Equal(xv, s.Run(y, feed).ToFloatArray());
            feed[keep] = HostTensor.Scalar(0.5f);
            Assert.Contains(0f, s.Run(y, feed).ToFloatArray());
            feed[keep] = HostTensor.Scalar(0f);
            Assert.Contains("outside (0, 1]", Assert.ThrowsAny<Exception>(() => s.Run(y, feed)).Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => Tf.Dropout(x, 1.5));
        });
    }

    [Fact]
    public void MasksAreTheStreamsUniformsInOrderAndTheStreamMovesOn()
    {
        // The kernel draws from a copy of the stream held in registers; it must be the stream's own sequence, stored back.
        var g = new Graph(seed: 6);
        var y = Tf.Dropout(g.Ones(new Shape(1001)), 0.4, seed: 2);
        using var s = new Session(g);
        var replay = new RandomStream(0);
        for (int run = 0; run < 2; run++)
        {
            if (run == 0) s.Run(y.Op.Outputs[1]);   // the stream is made on first use
            replay.State = s.RandomFor(y.Op).State;
            float[] mask = s.Run(y.Op.Outputs[1]).ToFloatArray();
            float[] expected = [.. Enumerable.Range(0, mask.Length).Select(_ => replay.NextDouble() < (double)0.4f ? 1f / 0.4f : 0f)];
            Assert.Equal(expected, mask);
            Assert.Equal(replay.State, s.RandomFor(y.Op).State);
        }
    }

    [Fact]
    public void KeepProbOfOneDrawsNothingFromTheStream()
    {
        // Training masks must not depend on evaluation passes (keep_prob 1) run between the steps.
        HostTensor[] Masks(bool evaluateBetween)
        {
            var g = new Graph(seed: 4);
            var x = g.Placeholder(DType.Float32, new Shape(-1, 64));
            var keep = g.Placeholder(DType.Float32, Shape.Scalar);
            var y = Tf.Dropout(x, keep);
            using var s = new Session(g);
            var feed = new FeedDict { [x] = HostTensor.From(TestValues.Floats(10 * 64, 3), 10, 64) };
            var masks = new List<HostTensor>();
            for (int step = 0; step < 3; step++)
            {
                feed[keep] = HostTensor.Scalar(1f);
                if (evaluateBetween) s.Run(y, feed);
                feed[keep] = HostTensor.Scalar(0.5f);
                masks.Add(s.Run(y.Op.Outputs[1], feed));
            }
            return [.. masks];
        }
        var plain = Masks(evaluateBetween: false);
        var interleaved = Masks(evaluateBetween: true);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i].ToFloatArray(), interleaved[i].ToFloatArray());
        Assert.NotEqual(plain[0].ToFloatArray(), plain[1].ToFloatArray());
    }

    [Fact]
    public void GradientIsTheMaskOfTheSameRun()
    {
        // dL/dx for L = Σ y·r must be r · mask with mask = 1/keepProb where kept, 0 elsewhere.
        var g = new Graph(seed: 2);
        var x = g.Placeholder(DType.Float64, new Shape(40, 30));
        var r = g.Constant(GradientCheck.Input([40, 30], 6));
        var y = Tf.Dropout(x, 0.4);
        var dx = Tf.Gradient(Tf.ReduceSum(y * r), x);
        TestBackends.Each(g, (s, backend) =>
        {
            var xv = GradientCheck.Input([40, 30], 7);
            var rv = GradientCheck.Input([40, 30], 6).AsSpan<double>().ToArray();
            var res = s.Run([y, y.Op.Outputs[1], dx], new FeedDict { [x] = xv });
            double[] yv = (double[])res[0].Data, mask = (double[])res[1].Data, dxv = (double[])res[2].Data;
            Assert.Contains(0.0, mask);
            for (int i = 0; i < mask.Length; i++)
            {
                Assert.True(mask[i] == 0 || mask[i] == 1 / 0.4, $"mask {mask[i]}");
                Assert.Equal(xv.AsSpan<double>()[i] * mask[i], yv[i]);
                Assert.Equal(rv[i] * mask[i], dxv[i]);
            }
        });
    }

    [Fact]
    public void NumericalGradientWithAFixedMask() =>
        // keepProb = 1 keeps the mask fixed across the checker's runs.
        GradientCheck.Check(t => Tf.Dropout(t[0], t[1]), [GradientCheck.Input([3, 4], 1), HostTensor.Scalar(1.0)], [true, false]);
}
