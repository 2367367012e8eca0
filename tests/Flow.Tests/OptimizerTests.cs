using Flow.Train;

namespace Flow.Tests;

/// <summary>Optimizer updates against values worked out by hand for loss = L2Loss(w), whose gradient is w.</summary>
public class OptimizerTests
{
    private static readonly double[] W0 = [1.0, -2.0, 0.5];

    private static double[][] Steps(Func<Graph, Tensor, Operation> makeTrain, int steps)
    {
        var g = new Graph();
        var w = g.Variable(g.Constant(HostTensor.From((double[])W0.Clone(), 3)), "w");
        var train = makeTrain(g, Tf.L2Loss(w));
        double[][]? first = null;
        TestBackends.Each(g, (s, backend) =>
        {
            s.Run(g.GlobalVariablesInitializer());
            var result = new double[steps][];
            for (int i = 0; i < steps; i++)
            {
                s.Run(train);
                result[i] = s.GetValue(w).AsSpan<double>().ToArray();
            }
            if (first is null) first = result;
            else for (int i = 0; i < steps; i++) Assert.True(first[i].SequenceEqual(result[i]), $"step {i} on {backend} differs from {TestBackends.All[0]}");
        });
        return first!;
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void GradientDescent()
    {
        var w = Steps((g, loss) => new GradientDescentOptimizer(0.1).Minimize(loss), 3);
        // w ← w − 0.1·w: 0.9, 0.81, 0.729 times w0.
        AssertClose(W0.Select(v => 0.9 * v).ToArray(), w[0]);
        AssertClose(W0.Select(v => 0.81 * v).ToArray(), w[1]);
        AssertClose(W0.Select(v => 0.729 * v).ToArray(), w[2]);
    }

    [Fact]
    public void Momentum()
    {
        var w = Steps((g, loss) => new MomentumOptimizer(0.1, 0.9).Minimize(loss), 3);
        // a1 = w0, w1 = 0.9 w0; a2 = 0.9 w0 + 0.9 w0 = 1.8 w0, w2 = 0.72 w0; a3 = 1.62 w0 + 0.72 w0 = 2.34 w0, w3 = 0.486 w0.
        AssertClose(W0.Select(v => 0.9 * v).ToArray(), w[0]);
        AssertClose(W0.Select(v => 0.72 * v).ToArray(), w[1]);
        AssertClose(W0.Select(v => 0.486 * v).ToArray(), w[2]);
    }

    [Fact]
    public void Adam()
    {
        var w = Steps((g, loss) => new AdamOptimizer(0.1).Minimize(loss), 3);
        AssertAdamByHand(w, weightDecay: 0);
    }

    /// <summary>
    /// TF's Adam update written out for one element at a time, with torch.optim.AdamW's decoupled decay when λ &gt; 0:
    /// the gradient is taken at the old value, the weight shrinks by lr·λ·w, and Adam's step (unchanged by λ) is
    /// applied to the shrunk weight.
    /// </summary>
    private static void AssertAdamByHand(double[][] w, double weightDecay)
    {
        for (int i = 0; i < W0.Length; i++)
        {
            double x = W0[i], m = 0, v = 0;
            for (int t = 1; t <= w.Length; t++)
            {
                double grad = x;
                x -= 0.1 * weightDecay * x;
                double lrT = 0.1 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
                m = 0.9 * m + 0.1 * grad;
                v = 0.999 * v + 0.001 * grad * grad;
                x -= lrT * m / (Math.Sqrt(v) + 1e-8);
                Assert.Equal(x, w[t - 1][i], 12);
            }
        }
    }

    [Fact]
    public void AdamWShrinksEachWeightBeforeTheAdamStep() =>
        AssertAdamByHand(Steps((g, loss) => new AdamOptimizer(0.1, weightDecay: 0.5).Minimize(loss), 3), weightDecay: 0.5);

    [Fact]
    public void AdamWLeavesTheVariablesItIsToldToSkipAsAdamWould()
    {
        var adam = Steps((g, loss) => new AdamOptimizer(0.1).Minimize(loss), 3);
        var skipped = Steps((g, loss) => new AdamOptimizer(0.1, weightDecay: 0.5, decays: v => v.Name != "w").Minimize(loss), 3);
        for (int t = 0; t < 3; t++) Assert.Equal(adam[t], skipped[t]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(0.1, weightDecay: -1e-4));
    }

    [Fact]
    public void AdamFirstStepMovesByLearningRate()
    {
        // With m and v fresh, the first step is lr · g/(|g| + ε/√(1−β2)) ≈ lr · g/|g| (up to ε): a check independent of the loop above.
        var w = Steps((g, loss) => new AdamOptimizer(0.01).Minimize(loss), 1);
        for (int i = 0; i < W0.Length; i++) Assert.Equal(W0[i] - 0.01 * Math.Sign(W0[i]), w[0][i], 5);
    }

    [Fact]
    public void ExponentialDecayStaircase()
    {
        var g = new Graph();
        var step = g.Placeholder(DType.Int32, Shape.Scalar, "step");
        var lr = LearningRates.ExponentialDecay(0.01, step, 10, 0.95, staircase: true, DType.Float64);
        var smooth = LearningRates.ExponentialDecay(0.01, step, 10, 0.95, staircase: false, DType.Float64);
        using var s = new Session(g);
        double At(Tensor t, int k) => s.Run(t, new FeedDict { [step] = HostTensor.Scalar(k) }).ScalarValue();
        Assert.Equal(0.01, At(lr, 0), 12);
        Assert.Equal(0.01, At(lr, 9), 12);
        Assert.Equal(0.0095, At(lr, 10), 12);
        Assert.Equal(0.01 * 0.95 * 0.95, At(lr, 25), 12);
        Assert.Equal(0.01 * Math.Pow(0.95, 2.5), At(smooth, 25), 12);
    }

    [Fact]
    public void CosineDecayFollowsTheCosineToAlphaAndHolds()
    {
        var g = new Graph();
        var step = g.Placeholder(DType.Int32, Shape.Scalar, "step");
        var lr = LearningRates.CosineDecay(0.1, step, 100, alpha: 0.01, DType.Float64);
        using var s = new Session(g);
        double At(int k) => s.Run(lr, new FeedDict { [step] = HostTensor.Scalar(k) }).ScalarValue();
        double Expected(int k) => 0.1 * (0.99 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(k, 100) / 100.0)) + 0.01);
        foreach (int k in new[] { 0, 1, 37, 50, 99, 100, 250 }) Assert.Equal(Expected(k), At(k), 12);
        Assert.Equal(0.1, At(0), 12);
        Assert.Equal(0.001, At(100), 12);
    }

    [Fact]
    public void LinearWarmupRampsThenLeavesTheScheduleAlone()
    {
        var g = new Graph();
        var step = g.Placeholder(DType.Int32, Shape.Scalar, "step");
        var cosine = LearningRates.CosineDecay(0.1, step, 100, dtype: DType.Float64);
        var lr = LearningRates.LinearWarmup(cosine, step, 10);
        using var s = new Session(g);
        double At(Tensor t, int k) => s.Run(t, new FeedDict { [step] = HostTensor.Scalar(k) }).ScalarValue();
        Assert.Equal(At(cosine, 0) * 0.1, At(lr, 0), 12);
        Assert.Equal(At(cosine, 4) * 0.5, At(lr, 4), 12);
        foreach (int k in new[] { 9, 10, 60 }) Assert.Equal(At(cosine, k), At(lr, k), 12);
    }

    [Fact]
    public void SlotsMadeInsideControlDependenciesInitialiseWithoutTheirFeeds()
    {
        // TF's UPDATE_OPS idiom: Minimize inside control_dependencies on an op that needs a feed. The slots Adam makes
        // there (and the variables' initializers) must not wait for it, or initialising would need a training batch.
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(2), "x");
        var w = g.Variable(g.Constant(HostTensor.From([1.0, 2.0], 2)), "w");
        var seen = g.Variable(g.Zeros(new Shape(2), DType.Float64), "seen", trainable: false);
        var record = Tf.Assign(seen, x).Op;
        Operation train;
        using (g.ControlDependencies(record))
            train = new AdamOptimizer(0.1).Minimize(Tf.L2Loss(w * x), globalStep: TrainingUtil.CreateGlobalStep(g));
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        s.Run(train, new FeedDict { [x] = HostTensor.From([3.0, 4.0], 2) });
        Assert.Equal([3.0, 4.0], (double[])s.GetValue(seen).Data);
    }

    [Fact]
    public void GlobalStepCountsTrainingSteps()
    {
        var g = new Graph();
        var w = g.Variable(g.Constant(HostTensor.From([1.0], 1)), "w");
        var step = TrainingUtil.CreateGlobalStep(g);
        var train = new GradientDescentOptimizer(0.1).Minimize(Tf.L2Loss(w), globalStep: step);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        for (int i = 0; i < 4; i++) s.Run(train);
        Assert.Equal(4, s.GetValue(step).ScalarValue());
    }

    [Fact]
    public void LearningRateTensorDrivesTheUpdate()
    {
        var w = Steps((g, loss) => new GradientDescentOptimizer(g.Scalar(0.5, DType.Float64)).Minimize(loss), 1);
        AssertClose(W0.Select(v => 0.5 * v).ToArray(), w[0]);
    }

    [Fact]
    public void MomentumWithNesterovLooksAhead()
    {
        var w = Steps((g, loss) => new MomentumOptimizer(0.1, 0.9, useNesterov: true).Minimize(loss), 2);
        // TF's form: accum = 0.9·accum + g; w −= 0.1·g + 0.1·0.9·accum. With g = w:
        // a1 = w0, w1 = w0 − 0.1 w0 − 0.09 w0 = 0.81 w0; a2 = 0.9 w0 + 0.81 w0 = 1.71 w0,
        // w2 = 0.81 w0 − 0.081 w0 − 0.09·1.71 w0 = 0.5751 w0.
        AssertClose(W0.Select(v => 0.81 * v).ToArray(), w[0]);
        AssertClose(W0.Select(v => 0.5751 * v).ToArray(), w[1]);
    }

    [Fact]
    public void AdagradStartsItsAccumulatorAtTfsDefault()
    {
        var w = Steps((g, loss) => new AdagradOptimizer(0.1).Minimize(loss), 2);
        // accum = 0.1 + w0²; w1 = w0 − 0.1·w0/√accum; then accum += w1²; w2 = w1 − 0.1·w1/√accum.
        // For w0 = 1: accum 1.1, w1 = 1 − 0.1/√1.1 = 0.904653741...
        Assert.Equal(0.9046537410754407, w[0][0], 12);
        var a1 = W0.Select(v => 0.1 + v * v).ToArray();
        var w1 = W0.Select((v, i) => v - 0.1 * v / Math.Sqrt(a1[i])).ToArray();
        var w2 = w1.Select((v, i) => v - 0.1 * v / Math.Sqrt(a1[i] + v * v)).ToArray();
        AssertClose(w1, w[0]);
        AssertClose(w2, w[1]);
    }

    [Fact]
    public void RmsPropKeepsEpsilonInsideTheRootAndStartsTheMeanSquareAtOne()
    {
        var w = Steps((g, loss) => new RmsPropOptimizer(0.01, decay: 0.9, momentum: 0.5, epsilon: 0.1).Minimize(loss), 2);
        // ms1 = 0.9·1 + 0.1·g²; mom1 = 0.01·g/√(ms1 + ε); w1 = w0 − mom1. For w0 = 1: ms1 = 1, w1 = 1 − 0.01/√1.1.
        Assert.Equal(1 - 0.01 / Math.Sqrt(1.1), w[0][0], 12);
        var ms1 = W0.Select(v => 0.9 + 0.1 * v * v).ToArray();
        var mom1 = W0.Select((v, i) => 0.01 * v / Math.Sqrt(ms1[i] + 0.1)).ToArray();
        var w1 = W0.Select((v, i) => v - mom1[i]).ToArray();
        var ms2 = w1.Select((v, i) => 0.9 * ms1[i] + 0.1 * v * v).ToArray();
        var w2 = w1.Select((v, i) => v - (0.5 * mom1[i] + 0.01 * v / Math.Sqrt(ms2[i] + 0.1))).ToArray();
        AssertClose(w1, w[0]);
        AssertClose(w2, w[1]);
    }

    [Fact]
    public void RmsPropAndAdagradSlotsAreNamedAndInitialisedAsTfs()
    {
        var g = new Graph();
        var w = g.Variable(g.Constant(HostTensor.From((double[])W0.Clone(), 3)), "w");
        new RmsPropOptimizer(0.01).Minimize(Tf.L2Loss(w));
        new AdagradOptimizer(0.01, initialAccumulatorValue: 0.25).Minimize(Tf.L2Loss(w), name: "train2");
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        double[] Slot(string name) => s.GetValue(g.GlobalVariables.Single(v => v.Name == name)).AsSpan<double>().ToArray();
        Assert.Equal([1.0, 1.0, 1.0], Slot("w/RMSProp"));
        Assert.Equal([0.0, 0.0, 0.0], Slot("w/RMSProp_1"));
        Assert.Equal([0.25, 0.25, 0.25], Slot("w/Adagrad"));
    }

    public static TheoryData<string> NewOptimizers => ["adagrad", "rmsprop", "nesterov"];

    // XOR through a tanh layer and a sigmoid output, with the features joined by Concat: each new optimizer fits it.
    [Theory, MemberData(nameof(NewOptimizers))]
    public void TheNewOptimizersTrainASmallTanhSigmoidNet(string name)
    {
        var g = new Graph(seed: 3);
        var x = g.Constant(HostTensor.From([0f, 0, 0, 1, 1, 0, 1, 1], 4, 2));
        var y = g.Constant(HostTensor.From([0f, 1, 1, 0], 4, 1));
        var features = Tf.Concat([x, x * x], 1);
        var hidden = Tf.Tanh(Tf.MatMul(features, g.Variable(Tf.RandomNormal(g, new Shape(4, 8)), "w1")) + g.Variable(g.Zeros(new Shape(8)), "b1"));
        var p = Tf.Sigmoid(Tf.MatMul(hidden, g.Variable(Tf.RandomNormal(g, new Shape(8, 1)), "w2")));
        var loss = Tf.ReduceMean(Tf.Square(p - y));
        Optimizer optimizer = name switch
        {
            "adagrad" => new AdagradOptimizer(0.5),
            "rmsprop" => new RmsPropOptimizer(0.05, momentum: 0.5),
            _ => new MomentumOptimizer(0.5, 0.9, useNesterov: true),
        };
        var train = optimizer.Minimize(loss);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        double first = s.Run(loss).ScalarValue();
        for (int i = 0; i < 300; i++) s.Run(train);
        double last = s.Run(loss).ScalarValue();
        Assert.True(last < 0.02 && last < first / 5, $"{name}: loss {first:F4} → {last:F4}");
    }
}
