using Flow.Backends;

namespace Flow.Tests;

/// <summary>The op contract: every published op has a kernel, a gradient or an explicit mark, and typed attributes.</summary>
public class OpContractTests
{
    public static TheoryData<string> OpNames => [.. OpCatalog.All.Select(d => d.Type)];

    private static OpDef Def(string type) => OpCatalog.All.Single(d => d.Type == type);

    [Fact]
    public void TheCatalogHoldsEveryOpTheModelsUse()
    {
        Assert.True(OpCatalog.All.Count >= 55, $"only {OpCatalog.All.Count} op definitions found");
        Assert.Contains(Tf.Conv2DDef, OpCatalog.All);
        Assert.Contains(Graph.VariableDef, OpCatalog.All);
        Assert.Equal(OpCatalog.All.Count, OpCatalog.All.Select(d => d.Type).Distinct().Count());
    }

    [Fact]
    public void TheCatalogHoldsTheCoreOpsOfIssue19()
    {
        OpDef[] ops = [Tf.SigmoidDef, Tf.TanhDef, Tf.AvgPoolDef, Tf.AvgPoolGradDef, Tf.ConcatDef, Tf.ConcatSliceDef, Tf.TransposeDef,
            Tf.OneHotDef, Tf.ReduceMinDef, Tf.MinimumDef, Tf.AbsDef, Tf.SignDef, Tf.PowDef, Tf.ApplyAdagradDef, Tf.ApplyRmsPropDef];
        Assert.Empty(ops.Where(d => !OpCatalog.All.Contains(d)).Select(d => d.Type));
    }

    [Theory, MemberData(nameof(OpNames))]
    public void EveryOpHasAGradientOrIsMarkedNotDifferentiable(string type)
    {
        var def = Def(type);
        Assert.True(def.Gradient is not null ^ def.NotDifferentiable,
            $"{type}: gradient {(def.Gradient is null ? "missing" : "given")}, NotDifferentiable {def.NotDifferentiable}");
    }

    [Theory, MemberData(nameof(OpNames))]
    public void EveryOpThatRunsHasAReferenceKernelOnEveryBackend(string type)
    {
        var def = Def(type);
        foreach (var backend in TestBackends.All)
        {
            using var b = backend.Create();
            Assert.True(b.Supports(def) == def.RunsKernel, $"{type} on {backend}: supported {b.Supports(def)}, runs a kernel {def.RunsKernel}");
        }
    }

    [Fact]
    public void AttributesMustBeOfTheDeclaredType()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 2), "x");
        var ex = Assert.Throws<ArgumentException>(() => g.AddOp(Tf.MatMulDef, null, [x, x], [DType.Float32], new AxisAttributes(0)));
        Assert.Contains("MatMulAttributes", ex.Message);
        Assert.Throws<ArgumentException>(() => g.AddOp(Tf.MatMulDef, null, [x, x], [DType.Float32]));
        Assert.Equal(new MatMulAttributes(false, true), Tf.MatMul(x, x, transposeB: true).Op.Attrs<MatMulAttributes>());
    }

    [Fact]
    public void WindowedOpsCarryTheirDecodedGeometry()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 28, 28, 1), "x");
        var pool = Tf.MaxPool(x, [1, 2, 2, 1], [1, 2, 2, 1], "same");
        Assert.Equal(new PoolAttributes(2, 2, 2, 2, Padding.Same), pool.Op.Attrs<PoolAttributes>());
        var w = pool.Op.Attrs<PoolAttributes>().WindowFor(new Shape(5, 28, 28, 1));
        Assert.Equal((5, 14, 14), (w.N, w.OH, w.OW));
        var conv = Tf.Conv2D(x, g.Zeros(new Shape(5, 5, 1, 4)), 1, 1, "VALID");
        Assert.Equal(new ConvAttributes(1, 1, Padding.Valid), conv.Op.Attrs<ConvAttributes>());
        Assert.Equal([true, false], Tf.ReduceSum(Tf.Reshape(x, new Shape(-1, 784)), 0).Op.Attrs<ReduceAttributes>().Reduced(2));
    }

    public static TheoryData<int[], int[]> NotBroadcasting => new()
    {
        { new[] { 3, 5 }, new[] { 3, 4 } },
        { new[] { 4 }, new[] { 3, 4 } },
        { new[] { 3, 1 }, new[] { 3, 4 } },
        { new[] { 2, 3 }, new[] { 2, 3, 1 } },
    };

    [Theory, MemberData(nameof(NotBroadcasting))]
    public void SumToRefusesAShapeTheTargetDoesNotBroadcastTo(int[] x, int[] like)
    {
        var g = new Graph();
        var ex = Assert.Throws<ShapeException>(() => Tf.SumTo(g.Zeros(new Shape(x)), g.Zeros(new Shape(like))));
        Assert.Contains("SumTo", ex.Message);
    }

    [Fact]
    public void SumToAcceptsBroadcastShapesAndChecksUnknownDimsAtPlanTime()
    {
        var g = new Graph();
        Assert.Equal(new Shape(4), Tf.SumTo(g.Zeros(new Shape(3, 4)), g.Zeros(new Shape(4))).Shape);
        Assert.Equal(new Shape(3, 1), Tf.SumTo(g.Zeros(new Shape(2, 3, 4)), g.Zeros(new Shape(3, 1))).Shape);
        var p = g.Placeholder(DType.Float32, new Shape(-1, 4), "p");
        var sum = Tf.SumTo(p, g.Zeros(new Shape(3, 4)));
        using var s = new Session(g);
        Assert.Equal(new float[12], s.Run(sum, new FeedDict { [p] = HostTensor.From(new float[12], 3, 4) }).ToFloatArray());
        Assert.Throws<ShapeException>(() => s.Run(sum, new FeedDict { [p] = HostTensor.From(new float[8], 2, 4) }));
    }

    // "Widen" maps [n] to [n + 1] and (wrongly) returns a gradient of its output's shape for its input.
    private static readonly OpDef WidenDef = new("Widen", (op, s) => [new Shape(s[0][0] + 1)], (op, dy) => [dy[0]]);

    [Fact]
    public void AGradientRuleOfTheWrongShapeFailsInTheBuilderNamingTheOp()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(3), "x");
        var y = g.AddOp(WidenDef, "widen", [x], [DType.Float32]).Output;
        var ex = Assert.Throws<ShapeException>(() => Tf.Gradients([Tf.ReduceSum(y)], [x]));
        Assert.Contains("'widen' (Widen)", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }
}
