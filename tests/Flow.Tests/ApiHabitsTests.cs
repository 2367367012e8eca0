using Flow.Train;

namespace Flow.Tests;

/// <summary>TF 1.x habits a model author brings (issue 19): how feeds, fetches, variables and the v1/v2 losses behave.</summary>
public class ApiHabitsTests
{
    private static HostTensor In(params int[] shape) => GradientCheck.Input(shape, shape.Sum() * 17 + 3);

    [Fact]
    public void ADoubleScalarOrArrayFedToAFloat32PlaceholderIsConvertedAsTfConvertsAPythonFloat()
    {
        var g = new Graph();
        var keep = g.Placeholder(DType.Float32, Shape.Scalar, "keep");
        var x = g.Placeholder(DType.Float32, new Shape(-1), "x");
        var y = x * keep;
        using var s = new Session(g);
        var r = s.Run(y, new FeedDict { [keep] = HostTensor.Scalar(0.5), [x] = HostTensor.From([1.0, 2.0, 1e40], 3) });
        Assert.Equal(DType.Float32, r.DType);
        Assert.Equal([0.5f, 1f, float.PositiveInfinity], r.ToFloatArray());
        // int32 feeds a floating tensor too, and the prepared-callable path converts the same way.
        var run = s.MakeCallable([y], [keep, x]);
        Assert.Equal([1.5f, 3f], run.Run(HostTensor.Scalar(0.75), HostTensor.From([2, 4], 2))[0].ToFloatArray());
    }

    [Fact]
    public void AFeedThatWouldLoseMeaningIsRefusedNamingTheTensorAndBothTypes()
    {
        var g = new Graph();
        var labels = g.Placeholder(DType.Int32, new Shape(2), "labels");
        var mask = g.Placeholder(DType.Float32, new Shape(2), "mask");
        using var s = new Session(g);
        var ex = Assert.Throws<FeedException>(() => s.Run(labels * labels, new FeedDict { [labels] = HostTensor.From([1.5f, 2f], 2) }));
        Assert.Contains("placeholder 'labels' expects int32 but the feed is float32", ex.Message);
        Assert.Contains("bool", Assert.Throws<FeedException>(() => s.Run(mask * 2, new FeedDict { [mask] = HostTensor.From([true, false], 2) })).Message);
    }

    [Fact]
    public void ArithmeticOperatorsWorkOnVariablesWithVariablesTensorsAndScalars()
    {
        var g = new Graph();
        var w = g.Variable(g.Constant([2f, 3f], 2), "w");
        var b = g.Variable(g.Constant([1f, 4f], 2), "b");
        Tensor t = g.Constant([10f, 10f], 2);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        float[] Eval(Tensor e) => s.Run(e).ToFloatArray();
        Assert.Equal([2f, 12f], Eval(w * b));
        Assert.Equal([3f, 7f], Eval(w + b));
        Assert.Equal([1f, -1f], Eval(w - b));
        Assert.Equal([2f, 0.75f], Eval(w / b));
        Assert.Equal([-2f, -3f], Eval(-w));
        Assert.Equal([4f, 6f], Eval(w * 2));
        Assert.Equal([4f, 6f], Eval(2.0 * w));
        Assert.Equal([3f, 4f], Eval(w + 1));
        Assert.Equal([-1f, -2f], Eval(1 - w));
        Assert.Equal([1f, 1.5f], Eval(w / 2));
        Assert.Equal([5f, 10f / 3f], Eval(10 / w));
        Assert.Equal([1f, 2f], Eval(w - 1));
        Assert.Equal([20f, 30f], Eval(w * t));
        Assert.Equal([12f, 13f], Eval(t + w));
    }

    [Fact]
    public void AnyTensorCanBeFedAndTheOpsOnlyItNeedsDoNotRun()
    {
        var g = new Graph(seed: 5);
        var x = g.Placeholder(DType.Float32, new Shape(3), "x");
        var noise = Tf.RandomUniform(g, new Shape(3));
        var hidden = Tf.Exp(x + noise, "hidden");
        var y = hidden * 2.0;
        using var s = new Session(g) { Profile = new OpProfile() };
        var state = s.RandomFor(RandomOp(noise)).State;
        // x is not fed: it is needed only by what the feed of hidden replaces.
        var r = s.Run([y, hidden], new FeedDict { [hidden] = HostTensor.From([1f, 2f, 3f], 3) });
        Assert.Equal([2f, 4f, 6f], r[0].ToFloatArray());
        Assert.Equal([1f, 2f, 3f], r[1].ToFloatArray());
        Assert.Equal(state, s.RandomFor(RandomOp(noise)).State);
        var ran = s.Profile.ByOp().Select(e => e.Op).ToArray();
        Assert.DoesNotContain("hidden", ran);
        Assert.DoesNotContain(RandomOp(noise).Name, ran);
    }

    [Fact]
    public void AVariablesValueOrAConstantCanBeFedButNotAVariableTheRunAssigns()
    {
        var g = new Graph();
        var w = g.Variable(g.Constant([1f, 2f], 2), "w");
        var c = g.Constant([5f, 5f], 2);
        var y = w * c;
        var update = Tf.AssignAdd(w, y);
        using var s = new Session(g);
        // w was never initialised: the feed stands for it, so nothing reads it.
        Assert.Equal([30f, 40f], s.Run(y, new FeedDict { [w.Value] = HostTensor.From([3f, 4f], 2), [c] = HostTensor.From([10f, 10f], 2) }).ToFloatArray());
        var ex = Assert.Throws<FeedException>(() => s.Run(update, new FeedDict { [w.Value] = HostTensor.From([3f, 4f], 2) }));
        Assert.Contains("cannot feed variable 'w'", ex.Message);
    }

    [Fact]
    public void FeedingOneOutputOfAnOpThatMustRunAnywayIsRefusedNamingBoth()
    {
        var g = new Graph();
        var logits = g.Constant([1f, 2f, 3f, 4f], 2, 2);
        var labels = g.Constant([0f, 1f, 1f, 0f], 2, 2);
        var loss = Tf.SoftmaxCrossEntropyWithLogits(labels, logits, "xent");
        var backprop = loss.Op.Outputs[1];
        using var s = new Session(g);
        var ex = Assert.Throws<FeedException>(() => s.Run(backprop, new FeedDict { [loss] = HostTensor.From([0f, 0f], 2) }));
        Assert.Contains("'xent:0'", ex.Message);
        Assert.Contains("op 'xent'", ex.Message);
    }

    [Fact]
    public void PlaceholderWithDefaultGivesItsDefaultUnlessFedAndKeepsItsDeclaredShape()
    {
        var g = new Graph();
        var keep = Tf.PlaceholderWithDefault(g.Scalar(1), Shape.Scalar, "keep_prob");
        var x = Tf.PlaceholderWithDefault(g.Constant([1f, 2f, 3f], 1, 3), new Shape(-1, 3), "x");
        var y = x * keep;
        Assert.Equal(new Shape(-1, 3), x.Shape);
        Assert.Equal("PlaceholderWithDefault", x.Op.Type);
        using var s = new Session(g);
        Assert.Equal([1f, 2f, 3f], s.Run(y).ToFloatArray());
        Assert.Equal([0.5f, 1f, 1.5f], s.Run(y, new FeedDict { [keep] = HostTensor.Scalar(0.5) }).ToFloatArray());
        var batch = s.Run(y, new FeedDict { [x] = HostTensor.From(new float[] { 1, 1, 1, 2, 2, 2 }, 2, 3) });
        Assert.Equal(new Shape(2, 3), batch.Shape);
        Assert.Throws<FeedException>(() => s.Run(y, new FeedDict { [x] = HostTensor.From(new float[4], 2, 2) }));
        var ex = Assert.Throws<ShapeException>(() => Tf.PlaceholderWithDefault(g.Constant([1f, 2f], 2), new Shape(3), "bad"));
        Assert.Contains("'bad'", ex.Message);
    }

    [Fact]
    public void PlaceholderWithDefaultPassesTheDefaultsGradient() =>
        GradientCheck.Check(x => Tf.PlaceholderWithDefault(x[0], new Shape(-1, 3)) * x[0], In(2, 3));

    [Fact]
    public void StopGradientPassesValuesButNoGradient()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float64, new Shape(3), "x");
        var y = Tf.ReduceSum(Tf.StopGradient(x) * x);
        Assert.Null(Tf.Gradients([y], [Tf.StopGradient(x)])[0]);
        var dx = Tf.Gradient(y, x);
        using var s = new Session(g);
        var r = s.Run([y, dx], new FeedDict { [x] = HostTensor.From([1.0, 2.0, 3.0], 3) });
        Assert.Equal(14, r[0].ScalarValue());
        Assert.Equal([1.0, 2.0, 3.0], r[1].AsSpan<double>().ToArray()); // d/dx of c·x with c = x held constant
    }

    [Fact]
    public void SoftmaxCrossEntropyIsTfsV2AndV1StopsTheLabelsGradient()
    {
        var g = new Graph();
        var z = g.Placeholder(DType.Float64, new Shape(2, 3), "z");
        var logits = g.Placeholder(DType.Float64, new Shape(2, 3), "logits");
        var labels = Tf.Softmax(z);
        var v2 = Tf.ReduceSum(Tf.SoftmaxCrossEntropyWithLogits(labels, logits));
        var v1 = Tf.ReduceSum(Tf.SoftmaxCrossEntropyWithLogitsV1(labels, logits));
        Assert.NotNull(Tf.Gradients([v2], [z])[0]);
        Assert.Null(Tf.Gradients([v1], [z])[0]);
        var feed = new FeedDict { [z] = In(2, 3), [logits] = GradientCheck.Input([2, 3], 11) };
        using var s = new Session(g);
        var r = s.Run([v1, v2, Tf.Gradient(v1, logits), Tf.Gradient(v2, logits)], feed);
        Assert.Equal(r[0].ScalarValue(), r[1].ScalarValue());
        Assert.Equal(r[2].AsSpan<double>().ToArray(), r[3].AsSpan<double>().ToArray());
    }

    [Fact]
    public void SoftmaxCrossEntropyV1GradientIntoLogitsMatchesCentralDifferences() =>
        GradientCheck.Check(x => Tf.SoftmaxCrossEntropyWithLogitsV1(Tf.Softmax(x[0]), x[1]), [In(4, 6), GradientCheck.Input([4, 6], 2)], [false, true]);

    [Fact]
    public void RunWithMixedFetchesRunsTheOpsAndReturnsValuesInOrder()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2), "x");
        var w = g.Variable(g.Constant([1f, 1f], 2), "w");
        var loss = Tf.ReduceSum(Tf.Square(w * x));
        var train = new GradientDescentOptimizer(0.25).Minimize(loss);
        using var s = new Session(g);
        s.Run(g.GlobalVariablesInitializer());
        var feeds = new FeedDict { [x] = HostTensor.From([1f, 2f], 2) };
        var r = s.Run([train, loss], feeds);
        Assert.Null(r[0]);
        Assert.Equal(5, r[1]!.ScalarValue());
        Assert.Equal([0.5f, -1f], s.GetValue(w).ToFloatArray());
        // Any order: the loss comes from w before this run's update, as the update reads it too.
        var r2 = s.Run([loss, train, w], feeds);
        Assert.Equal(0.25 + 4, r2[0]!.ScalarValue());
        Assert.Null(r2[1]);
        Assert.Equal([0.25f, 1f], s.GetValue(w).ToFloatArray());
        Assert.Equal(new Shape(2), r2[2]!.Shape);
        Assert.Equal(3, r2.Length);
    }

    [Fact]
    public void RandomOpsAreOnTfAndDeterministicForASeed()
    {
        Tensor[] Build(Graph g) =>
        [
            Tf.TruncatedNormal(g, new Shape(500), stddev: 0.1, seed: 4),
            Tf.RandomNormal(g, new Shape(500), mean: 3, seed: 4),
            Tf.RandomUniform(g, new Shape(500), min: -2, max: -1),
        ];
        float[][] Draw() { var g = new Graph(seed: 9); var t = Build(g); using var s = new Session(g); return s.Run(t).Select(v => v.ToFloatArray()).ToArray(); }
        var a = Draw();
        Assert.Equal(a, Draw());
        Assert.All(a[0], v => Assert.InRange(v, -0.2f, 0.2f));
        Assert.InRange(a[1].Average(), 2.8, 3.2);
        Assert.All(a[2], v => Assert.InRange(v, -2f, -1f));
    }

    [Fact]
    public void ArgMaxAndTheGlobalStepAreInt32WhereTfUsesInt64()
    {
        var g = new Graph();
        Assert.Equal(DType.Int32, Tf.ArgMax(g.Constant([1f, 3f, 2f], 3), 0).DType);
        Assert.Equal(DType.Int32, TrainingUtil.CreateGlobalStep(g).DType);
    }

    private static Operation RandomOp(Tensor t) => t.Op.Def.Stateful ? t.Op : RandomOp(t.Op.Inputs[0]);
}
