using Flow.Backends.Cpu;
using Flow.Train;

namespace Flow.Tests;

/// <summary>
/// FusedBatchNorm (training and inference by a fed flag), its gradient against central differences, the float32
/// fast path against the reference, the batch-normalization layer's moving averages, and the build-time shape checks.
/// </summary>
public class BatchNormTests
{
    private const double Epsilon = 1e-3;

    public static TheoryData<int[], bool> GradientCases => new()
    {
        { new[] { 2, 3, 3, 4 }, true },
        { new[] { 2, 3, 3, 4 }, false },
        { new[] { 5, 3 }, true },
        { new[] { 5, 3 }, false },
    };

    [Theory, MemberData(nameof(GradientCases))]
    public void GradientsOfXScaleAndOffsetMatchCentralDifferences(int[] shape, bool training)
    {
        int c = shape[^1];
        GradientCheck.Check(
            xs => Tf.FusedBatchNorm(xs[0], xs[1], xs[2], xs[3], xs[4], xs[0].Graph.Scalar(training ? 1 : 0, DType.Float64), Epsilon).Y,
            [GradientCheck.Input(shape, 1, -1, 3), GradientCheck.Input([c], 2, 0.5, 1.5), GradientCheck.Input([c], 3),
             GradientCheck.Input([c], 4), GradientCheck.Input([c], 5, 0.5, 1.5)],
            [true, true, true, false, false]);
    }

    [Fact]
    public void MeanAndVarianceGetNoGradient()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(4, 2), "x");
        var c = g.Ones(new Shape(2));
        var (y, _, _) = Tf.FusedBatchNorm(x, c, c, c, c, g.Scalar(1), Epsilon);
        var mean = g.Variable(g.Zeros(new Shape(2)), "mean");
        var (y2, _, _) = Tf.FusedBatchNorm(x, c, c, mean, c, g.Scalar(0), Epsilon);
        Assert.Null(Tf.Gradients([Tf.ReduceSum(y2)], [mean])[0]);
        Assert.NotNull(Tf.Gradients([Tf.ReduceSum(y)], [x])[0]);
    }

    // C = 1, 3, 17, 64 (below, at and above a vector's width, with tails), M = 1 up to several worker chunks.
    public static TheoryData<int[], bool> FastShapes => new()
    {
        { new[] { 1, 1 }, true },
        { new[] { 1, 1, 1, 64 }, true },
        { new[] { 1, 1, 1, 3 }, false },
        { new[] { 7, 1 }, true },
        { new[] { 16384 * 3 + 5, 1 }, true },
        { new[] { 9, 5, 7, 3 }, true },
        { new[] { 8, 28, 28, 17 }, true },
        { new[] { 8, 28, 28, 17 }, false },
        { new[] { 4, 14, 14, 64 }, true },
        { new[] { 100, 64 }, false },
        { new[] { 3, 9, 9, 16 }, true },
    };

    [Theory, MemberData(nameof(FastShapes))]
    public void FastPathMatchesTheReference(int[] shape, bool training)
    {
        int c = shape[^1], size = shape.Aggregate(1, (a, b) => a * b), m = size / c;
        var x = TestValues.Floats(size, 11).Select(v => 2 * v + 0.5f).ToArray();
        var dyValues = TestValues.Floats(size, 12);
        float[] scale = TestValues.Floats(c, 13).Select(v => v + 1.5f).ToArray(), offset = TestValues.Floats(c, 14),
            mean = TestValues.Floats(c, 15), variance = TestValues.Floats(c, 16).Select(v => v + 1.2f).ToArray();

        float[] y = new float[size], batchMean = new float[c], batchVariance = new float[c], savedMean = new float[c], savedInvStd = new float[c];
        BatchNormKernels.Forward(new ForwardIo<float>
        {
            X = x, Scale = scale, Offset = offset, Mean = mean, Variance = variance,
            Y = y, BatchMean = batchMean, BatchVariance = batchVariance, SavedMean = savedMean, SavedInvStd = savedInvStd,
        }, m, c, Epsilon, training);
        float[] dx = new float[size], dScale = new float[c], dOffset = new float[c];
        BatchNormKernels.Gradient(new GradientIo<float>
        {
            Dy = dyValues, X = x, Scale = scale, SavedMean = savedMean, SavedInvStd = savedInvStd, Dx = dx, DScale = dScale, DOffset = dOffset,
        }, m, c, training);

        var g = new Graph();
        var xp = g.Placeholder(DType.Float32, new Shape(shape), "x");
        var flag = g.Placeholder(DType.Bool, Shape.Scalar, "training");
        var (scaleT, offsetT) = (g.Constant(HostTensor.From(scale, c)), g.Constant(HostTensor.From(offset, c)));
        var bn = Tf.FusedBatchNorm(xp, scaleT, offsetT, g.Constant(HostTensor.From(mean, c)), g.Constant(HostTensor.From(variance, c)), flag, Epsilon);
        var dy = g.Constant(HostTensor.From(dyValues, shape));
        var grads = Tf.Gradients([Tf.ReduceSum(bn.Y * dy)], [xp, scaleT, offsetT]);
        TestBackends.Each(g, (s, backend) =>
        {
            var r = s.Run([bn.Y, bn.BatchMean, bn.BatchVariance, grads[0]!, grads[1]!, grads[2]!],
                new FeedDict { [xp] = HostTensor.From(x, shape), [flag] = HostTensor.From([training]) });
            Close(y, r[0], $"y on {backend}");
            Close(batchMean, r[1], $"batch mean on {backend}");
            Close(batchVariance, r[2], $"batch variance on {backend}");
            Close(dx, r[3], $"dx on {backend}");
            Close(dScale, r[4], $"d scale on {backend}");
            Close(dOffset, r[5], $"d offset on {backend}");
        });
    }

    // The fast path adds the same terms in another order (chunks of rows), in double: a few float32 ulps apart at most.
    private static void Close(float[] expected, HostTensor actual, string what)
    {
        var a = actual.ToFloatArray();
        Assert.Equal(expected.Length, a.Length);
        double scale = Math.Max(1, expected.Max(v => Math.Abs((double)v)));
        for (int k = 0; k < a.Length; k++)
            Assert.True(Math.Abs(a[k] - expected[k]) <= 2e-6 * scale, $"{what}[{k}]: reference {expected[k]:G9}, fast {a[k]:G9}");
    }

    [Fact]
    public void TrainingNormalisesWithTheBatchAndInferenceWithTheGivenStatistics()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(4, 1), "x");
        var flag = g.Placeholder(DType.Float32, Shape.Scalar, "training");
        var bn = Tf.FusedBatchNorm(x, g.Fill(new Shape(1), 2), g.Fill(new Shape(1), 0.5), g.Fill(new Shape(1), 1), g.Fill(new Shape(1), 4), flag, Epsilon);
        TestBackends.Each(g, (s, backend) =>
        {
            var feed = new FeedDict { [x] = HostTensor.From([1f, 2, 3, 4], 4, 1), [flag] = HostTensor.Scalar(1f) };
            var r = s.Run([bn.Y, bn.BatchMean, bn.BatchVariance], feed);
            // μ = 2.5, biased σ² = 1.25 (normalises), unbiased 5/3 (for the moving average).
            Assert.Equal(2 * (1 - 2.5) / Math.Sqrt(1.25 + Epsilon) + 0.5, r[0].ToFloatArray()[0], tolerance: 1e-5);
            Assert.Equal(2.5, r[1].ToFloatArray()[0], tolerance: 1e-6);
            Assert.Equal(5.0 / 3, r[2].ToFloatArray()[0], tolerance: 1e-6);
            feed[flag] = HostTensor.Scalar(0f);
            r = s.Run([bn.Y, bn.BatchMean, bn.BatchVariance], feed);
            Assert.Equal(2 * (4 - 1) / Math.Sqrt(4 + Epsilon) + 0.5, r[0].ToFloatArray()[3], tolerance: 1e-5);
            Assert.Equal([1f], r[1].ToFloatArray());
            Assert.Equal([4f], r[2].ToFloatArray());
        });
    }

    [Fact]
    public void TheTrainOpMovesTheMovingAveragesAndInferenceUsesThem()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");
        var training = g.Placeholder(DType.Bool, Shape.Scalar, "training");
        var bn = Tf.BatchNormalization(x, training, momentum: 0.9);
        Assert.Equal(bn.UpdateOps, g.UpdateOps);
        Assert.Equal(["batch_normalization/gamma", "batch_normalization/beta", "batch_normalization/moving_mean", "batch_normalization/moving_variance"],
            g.GlobalVariables.Select(v => v.Name));
        // A checkpoint keeps every global variable; a model file keeps its Parameters (the model lists the moving ones).
        Assert.Equal([bn.Gamma, bn.Beta], g.TrainableVariables);
        Assert.All(new[] { bn.MovingMean, bn.MovingVariance }, v => Assert.Equal(VariableRole.Model, v.Role));
        var loss = Tf.ReduceSum(bn.Output * g.Constant(HostTensor.From([1f, 2, -1, 0.5f, 3, 1, 0, -2], 4, 2)));
        Operation train;
        using (g.ControlDependencies(g.UpdateOps.ToArray()))
            train = new GradientDescentOptimizer(0.1).Minimize(loss);

        var batch = HostTensor.From([1f, 0, 2, 0, 3, 2, 4, 2], 4, 2);
        TestBackends.Each(g, (s, backend) =>
        {
            s.Run(g.GlobalVariablesInitializer());
            s.Run(train, new FeedDict { [x] = batch, [training] = HostTensor.From([true]) });
            // moving = moving − (moving − batch)·0.1 with μ = (2.5, 1) and unbiased σ² = (5/3, 4/3).
            AssertValues([0.25, 0.1], s.GetValue(bn.MovingMean), backend);
            AssertValues([1 - (1 - 5.0 / 3) * 0.1, 1 - (1 - 4.0 / 3) * 0.1], s.GetValue(bn.MovingVariance), backend);

            // Inference normalises with them; running the update ops there leaves them as they are.
            var gamma = s.GetValue(bn.Gamma).ToFloatArray();
            var beta = s.GetValue(bn.Beta).ToFloatArray();
            var (mm, mv) = (s.GetValue(bn.MovingMean).ToFloatArray(), s.GetValue(bn.MovingVariance).ToFloatArray());
            var y = s.Run([bn.Output], new FeedDict { [x] = batch, [training] = HostTensor.From([false]) }, g.UpdateOps.ToArray())[0].ToFloatArray();
            var input = batch.ToFloatArray();
            for (int k = 0; k < 8; k++)
                Assert.Equal(gamma[k % 2] * (input[k] - mm[k % 2]) / Math.Sqrt(mv[k % 2] + Epsilon) + beta[k % 2], y[k], tolerance: 1e-5);
            Assert.Equal(mm, s.GetValue(bn.MovingMean).ToFloatArray());
            Assert.Equal(mv, s.GetValue(bn.MovingVariance).ToFloatArray());
        });
    }

    [Fact]
    public void ATrainStepThroughBatchNormalizationAllocatesNothing()
    {
        // The forward kernel has five outputs: the CPU kernel's reused argument arrays once held at most four and
        // allocated a new one on every call (448 bytes a step in the best model's seven layers).
        var g = new Graph(3);
        var x = g.Placeholder(DType.Float32, new Shape(8, 3, 3, 4), "x");
        var training = g.Placeholder(DType.Float32, Shape.Scalar, "training");
        var bn = Tf.BatchNormalization(x, training);
        var loss = Tf.ReduceSum(bn.Output * bn.Output * g.Constant(HostTensor.From(TestValues.Floats(288, 7), 8, 3, 3, 4)));
        Operation train;
        using (g.ControlDependencies(g.UpdateOps.ToArray()))
            train = new AdamOptimizer(0.01).Minimize(loss);
        // One worker thread: all the work is on this thread, where GC.GetAllocatedBytesForCurrentThread counts it.
        using var s = new Session(g, new CpuBackend(threads: 1), ownsBackend: true);
        s.Run(g.GlobalVariablesInitializer());
        var step = s.MakeCallable([loss], [x, training], train);
        HostTensor[] feeds = [HostTensor.From(TestValues.Floats(288, 8), 8, 3, 3, 4), HostTensor.Scalar(1f)];
        for (int i = 0; i < 3; i++) step.Run(feeds);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) step.Run(feeds);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void AssertValues(double[] expected, HostTensor actual, BackendCase backend)
    {
        var a = actual.ToFloatArray();
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(a[k] - expected[k]) <= 1e-6, $"[{k}] on {backend}: expected {expected[k]}, got {a[k]}");
    }

    [Fact]
    public void ShapesAreCheckedAtBuildTime()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 5, 5, 3), "x");
        var c = g.Zeros(new Shape(3));
        var flag = g.Placeholder(DType.Bool, Shape.Scalar, "training");
        string Message(Action build) => Assert.Throws<ShapeException>(build).Message;

        Assert.Contains("scale [4] does not match the 3 channels", Message(() => Tf.FusedBatchNorm(x, g.Zeros(new Shape(4)), c, c, c, flag)));
        Assert.Contains("variance must be [C] (rank 1), got [3, 1]", Message(() => Tf.FusedBatchNorm(x, c, c, c, g.Zeros(new Shape(3, 1)), flag)));
        Assert.Contains("training must be a scalar, got [2]",
            Message(() => Tf.FusedBatchNorm(x, c, c, c, c, g.Placeholder(DType.Bool, new Shape(2), "flags"))));
        Assert.Contains("x must be NHWC [N, H, W, C] or [N, C], got [?, 5, 3]",
            Message(() => Tf.FusedBatchNorm(g.Placeholder(DType.Float32, new Shape(-1, 5, 3), "x3"), c, c, c, c, flag)));
        Assert.Contains("with C known", Message(() => Tf.BatchNormalization(g.Placeholder(DType.Float32, new Shape(-1, -1), "xu"), flag)));
        Assert.Throws<ArgumentException>(() => Tf.FusedBatchNorm(x, c, c, c, c, g.Placeholder(DType.Int32, Shape.Scalar, "int_flag")));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tf.BatchNormalization(x, flag, momentum: 1.5));
    }
}
