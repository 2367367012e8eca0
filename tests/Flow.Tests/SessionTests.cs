namespace Flow.Tests;

public class SessionTests
{
    [Fact]
    public void RunsFetchesWithFeed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 2), "x");
        var w = g.Constant([1f, 2f, 3f, 4f], 2, 2);
        var y = Tf.MatMul(x, w) + 1.0;
        using var s = new Session(g);
        var r = s.Run(y, new FeedDict { [x] = HostTensor.From([1f, 1f, 0f, 2f], 2, 2) });
        Assert.Equal(new Shape(2, 2), r.Shape);
        Assert.Equal([5f, 7f, 7f, 9f], r.ToFloatArray());
    }

    [Fact]
    public void WrongFeedShapeNamesPlaceholderAndBothShapes()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "images");
        using var s = new Session(g);
        var ex = Assert.Throws<FeedException>(() => s.Run(Tf.ReduceSum(x), new FeedDict { [x] = HostTensor.From(new float[20], 2, 10) }));
        Assert.Contains("'images'", ex.Message);
        Assert.Contains("[?, 784]", ex.Message);
        Assert.Contains("[2, 10]", ex.Message);
    }

    [Fact]
    public void WrongFeedTypeAndMissingFeedAreNamed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Int32, new Shape(3), "x");
        using var s = new Session(g);
        Assert.Contains("'x' expects int32", Assert.Throws<FeedException>(() => s.Run(x * 2, new FeedDict { [x] = HostTensor.From([1f, 2f, 3f], 3) })).Message);
        Assert.Contains("'x'", Assert.Throws<FeedException>(() => s.Run(x * 2)).Message);
    }

    [Fact]
    public void BuildTimeShapeErrorsNameTheOp()
    {
        var g = new Graph();
        var a = g.Placeholder(DType.Float32, new Shape(-1, 784));
        var b = g.Placeholder(DType.Float32, new Shape(10, 10));
        var ex = Assert.Throws<ShapeException>(() => Tf.MatMul(a, b, name: "logits"));
        Assert.Contains("'logits'", ex.Message);
        Assert.Throws<ShapeException>(() => a + g.Placeholder(DType.Float32, new Shape(3)));
        Assert.Throws<ShapeException>(() => Tf.Reshape(g.Constant(new float[6], 6), new Shape(4, -1)));
    }

    [Fact]
    public void RunsOnlyTheSubgraphTheFetchesNeed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(1), "x");
        var unused = g.Placeholder(DType.Float32, new Shape(1), "unused");
        var y = g.Scalar(2) * g.Scalar(3);
        _ = unused + x;
        using var s = new Session(g);
        Assert.Equal(6.0, s.Run(y).ScalarValue());
    }

    [Fact]
    public void UninitializedVariableIsAnError()
    {
        var g = new Graph();
        var v = g.Variable(g.Zeros(new Shape(2)), "weights");
        using var s = new Session(g);
        Assert.Contains("'weights'", Assert.Throws<FeedException>(() => s.Run(v.Value * 2)).Message);
        s.Run(g.GlobalVariablesInitializer());
        Assert.Equal([0f, 0f], s.Run(v.Value * 2).ToFloatArray());
    }

    [Fact]
    public void ControlDependenciesOrderStateChanges()
    {
        var g = new Graph();
        var v = g.Variable(g.Scalar(1.0, DType.Float64), "v");
        var doubled = Tf.Assign(v, v.Value * 2.0);
        Tensor readAfter;
        using (g.ControlDependencies(doubled.Op)) readAfter = Tf.Identity(v.Value);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        Assert.Equal(2.0, s.Run(readAfter).ScalarValue());
        Assert.Equal(4.0, s.Run(readAfter).ScalarValue());
    }

    [Fact]
    public void CallableReusesResultsAndRecompilesOnNewShape()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1), "x");
        var sum = Tf.ReduceSum(x * x);
        using var s = new Session(g);
        var run = s.MakeCallable([sum], [x]);
        var a = run.Run(HostTensor.From([1f, 2f], 2))[0];
        Assert.Equal(5.0, a.ScalarValue());
        var b = run.Run(HostTensor.From([3f, 4f], 2))[0];
        Assert.Same(a, b);
        Assert.Equal(25.0, b.ScalarValue());
        Assert.Equal(14.0, run.Run(HostTensor.From([1f, 2f, 3f], 3))[0].ScalarValue());
    }

    [Fact]
    public void ForwardValuesOfCoreOps()
    {
        var g = new Graph();
        var logits = g.Constant([1f, 2f, 3f, 1f, 1f, 1f], 2, 3);
        var labels = g.Constant([0f, 0f, 1f, 1f, 0f, 0f], 2, 3);
        var xent = Tf.SoftmaxCrossEntropyWithLogits(labels, logits);
        var sparse = Tf.SparseSoftmaxCrossEntropyWithLogits(g.Constant([2, 0], 2), logits);
        using var s = new Session(g);
        var r = s.Run([Tf.Softmax(logits), xent, sparse, Tf.ArgMax(logits, 1), Tf.Cast(Tf.Equal(Tf.ArgMax(logits, 1), g.Constant([2, 1], 2)), DType.Float32),
            Tf.ReduceMax(logits, 1), Tf.ReduceMean(logits), Tf.L2Loss(logits)]);
        double e = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(3) / e, r[0].ToFloatArray()[2], 6);
        Assert.Equal(-Math.Log(Math.Exp(3) / e), r[1].ToFloatArray()[0], 5);
        Assert.Equal(Math.Log(3), r[1].ToFloatArray()[1], 5);
        Assert.Equal(r[1].ToFloatArray()[0], r[2].ToFloatArray()[0], 5);
        Assert.Equal(r[1].ToFloatArray()[1], r[2].ToFloatArray()[1], 5);
        Assert.Equal([2, 0], r[3].ToIntArray());
        Assert.Equal([1f, 0f], r[4].ToFloatArray());
        Assert.Equal([3f, 1f], r[5].ToFloatArray());
        Assert.Equal(1.5, r[6].ScalarValue(), 6);
        Assert.Equal((1 + 4 + 9 + 3) / 2.0, r[7].ScalarValue(), 6);
    }

    [Fact]
    public void RandomOpsAreSeededAndTruncated()
    {
        float[] Draw(int seed)
        {
            var g = new Graph(seed);
            var t = Tf.TruncatedNormal(g, new Shape(1000), stddev: 0.1);
            using var s = new Session(g);
            return s.Run(t).ToFloatArray();
        }
        var a = Draw(1);
        Assert.Equal(a, Draw(1));
        Assert.NotEqual(a, Draw(2));
        Assert.All(a, v => Assert.InRange(v, -0.2f, 0.2f));
        Assert.InRange(a.Average(), -0.01, 0.01);
    }

    [Fact]
    public void PlansShareTemporariesAndStayCorrectWhenInterleaved()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 64), "x");
        var h = Tf.Relu(Tf.MatMul(x, g.Constant(TestValues.Floats(64 * 64, 1), 64, 64)));
        var y = Tf.ReduceSum(Tf.Exp(h * 0.01) * 2.0, 1);
        var z = Tf.ReduceMean(Tf.Tanh(h) + 1.0);
        using var s = new Session(g);
        HostTensor Feed(int rows, int seed) => HostTensor.From(TestValues.Floats(rows * 64, seed), rows, 64);
        float[] yBig = s.Run(y, new FeedDict { [x] = Feed(100, 2) }).ToFloatArray();
        long afterBig = s.TemporaryBytes;
        float[] zSmall = s.Run(z, new FeedDict { [x] = Feed(60, 3) }).ToFloatArray();
        float[] ySmall = s.Run(y, new FeedDict { [x] = Feed(60, 3) }).ToFloatArray();
        // The smaller plans found room in the larger one's buffers.
        Assert.Equal(afterBig, s.TemporaryBytes);
        // Each plan, run again after the others wrote into the shared buffers, gives the same values.
        Assert.Equal(yBig, s.Run(y, new FeedDict { [x] = Feed(100, 2) }).ToFloatArray());
        Assert.Equal(zSmall, s.Run(z, new FeedDict { [x] = Feed(60, 3) }).ToFloatArray());
        Assert.Equal(ySmall, s.Run(y, new FeedDict { [x] = Feed(60, 3) }).ToFloatArray());
        using var fresh = new Session(g);
        Assert.Equal(zSmall, fresh.Run(z, new FeedDict { [x] = Feed(60, 3) }).ToFloatArray());
    }
}
