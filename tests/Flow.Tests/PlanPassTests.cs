using Flow.Backends;

namespace Flow.Tests;

/// <summary>The plan compiler's passes one by one, each on a small graph, with fakes for the session's stores.</summary>
public class PlanPassTests
{
    private static readonly Dictionary<Tensor, Shape> NoFeeds = [];

    [Fact]
    public void PruneKeepsOnlyWhatFetchesAndTargetsNeedThroughDataAndControlEdges()
    {
        var g = new Graph();
        var a = g.Scalar(1);
        var b = g.Scalar(2);
        var unused = a * b;
        var sum = a + b;
        var after = Tf.Group([unused.Op]);
        Assert.Equal(new[] { a.Op, b.Op, sum.Op }.ToHashSet(), PrunePass.Run([sum], [], NoFeeds));
        Assert.Contains(unused.Op, PrunePass.Run([], [after], NoFeeds));
    }

    [Fact]
    public void PruneRefusesANeededPlaceholderThatIsNotFed()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2), "x");
        var ex = Assert.Throws<FeedException>(() => PrunePass.Run([x * 2.0], [], NoFeeds));
        Assert.Contains("'x'", ex.Message);
        // Fed, the placeholder's value comes from the feed: the plan holds the scalar and the product only.
        Assert.Equal(2, PrunePass.Run([x * 2.0], [], new Dictionary<Tensor, Shape> { [x] = new Shape(2) }).Count);
    }

    [Fact]
    public void OrderPutsEveryOpAfterItsInputs()
    {
        var g = new Graph();
        var a = g.Scalar(1);
        var b = Tf.Exp(a);
        var c = b * a;
        var ordered = OrderPass.Run([c.Op, a.Op, b.Op, c.Op.Inputs[1].Op]);
        foreach (var op in ordered)
            foreach (var t in op.Inputs)
                Assert.True(ordered.IndexOf(t.Op) < ordered.IndexOf(op), $"{op.Name} runs before its input {t.Op.Name}");
    }

    [Fact]
    public void ShapesBecomeConcreteFromTheFeeds()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(-1, 3), "x");
        var y = Tf.ReduceSum(x * 2.0, 1);
        var feeds = new Dictionary<Tensor, Shape> { [x] = new Shape(5, 3) };
        var shapes = ShapePass.Run(OrderPass.Run(PrunePass.Run([y], [], feeds)), feeds);
        Assert.Equal(new Shape(5), shapes[y]);
        Assert.Equal(new Shape(-1), y.Shape);
    }

    [Fact]
    public void StorageSharesAViewsBufferAndKeepsFetchesAliveToTheEnd()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 3), "x");
        var e = Tf.Exp(x);
        var r = Tf.Reshape(e, new Shape(6));
        var y = Tf.Neg(r);
        var z = Tf.Sqrt(y);
        var feeds = new Dictionary<Tensor, Shape> { [x] = new Shape(2, 3) };
        var ordered = OrderPass.Run(PrunePass.Run([z, e], [], feeds));
        var plan = StoragePass.Run(ordered, ShapePass.Run(ordered, feeds), [z, e]);
        Assert.Equal(plan.StorageOf[e], plan.StorageOf[r]);
        Assert.Equal(4, plan.Count);
        Assert.Equal(x.Op, plan.Source[plan.StorageOf[x]]);
        Assert.Null(plan.Source[plan.StorageOf[y]]);
        Assert.Equal(24, plan.Bytes[plan.StorageOf[y]]);
        Assert.Equal(ordered.IndexOf(z.Op), plan.LastUse[plan.StorageOf[y]]);
        Assert.Equal(int.MaxValue, plan.LastUse[plan.StorageOf[e]]);
    }

    [Fact]
    public void AllocationReusesFreedTemporariesAndTakesVariablesFromTheStore()
    {
        var g = new Graph();
        var v = g.Variable(g.Zeros(new Shape(64)), "v");
        var x = g.Placeholder(DType.Float32, new Shape(64), "x");
        Tensor t = x + v.Value;
        for (int i = 0; i < 6; i++) t = Tf.Exp(t);
        var feeds = new Dictionary<Tensor, Shape> { [x] = new Shape(64) };
        var ordered = OrderPass.Run(PrunePass.Run([t], [], feeds));
        var shapes = ShapePass.Run(ordered, feeds);
        var storage = StoragePass.Run(ordered, shapes, [t]);
        using var backend = TestBackends.All[0].Create();
        var store = new FakeVariables(backend);
        using var pool = new TemporaryPool(backend);
        var result = AllocationPass.Run(ordered, shapes, storage, backend, store, pool);
        try
        {
            Assert.Same(store.Buffers[v.Value.Op], result.Buffers[storage.StorageOf[v.Value]]);
            Assert.Equal(x, Assert.Single(result.Feeds).Tensor);
            // Seven temporaries in a chain: each step's input is freed after it, so two buffers take turns.
            var temporaries = result.Buffers.Where((b, s) => storage.Source[s] is null).Distinct().Count();
            Assert.Equal(2, temporaries);
            Assert.Equal(2, pool.Buffers.Count);
            Assert.DoesNotContain(store.Buffers[v.Value.Op], result.Owned);
            // A second plan of the same shapes finds both free in the pool and allocates none of its own.
            var again = AllocationPass.Run(ordered, shapes, storage, backend, store, pool);
            Assert.Equal(2, pool.Buffers.Count);
            Assert.Subset(pool.Buffers.ToHashSet(), again.Buffers.Where((b, s) => storage.Source[s] is null).ToHashSet());
            foreach (var b in again.Owned) b.Dispose();
        }
        finally
        {
            foreach (var b in result.Owned) b.Dispose();
            foreach (var b in store.Buffers.Values) b.Dispose();
        }
    }

    [Fact]
    public void BindingNamesEveryOpTypeTheBackendDoesNotSupport()
    {
        var g = new Graph();
        var x = g.Placeholder(DType.Float32, new Shape(2, 2), "x");
        var y = Tf.Relu(Tf.MatMul(x, x)) + Tf.Exp(x);
        using var cpu = TestBackends.All[0].Create();
        using var backend = new WithoutOps(cpu, Tf.MatMulDef, Tf.ReluDef);
        using var s = new Session(g, backend);
        var ex = Assert.Throws<NotSupportedException>(() => s.Run(y, new FeedDict { [x] = HostTensor.From(new float[4], 2, 2) }));
        Assert.Contains("MatMul, Relu", ex.Message);
        Assert.Contains("'cpu-partial'", ex.Message);
    }

    [Fact]
    public void BindingHandsStatefulOpsTheirStreamFromTheStore()
    {
        var g = new Graph(seed: 3);
        var r = Tf.RandomUniform(g, new Shape(4));
        var streams = new FakeStreams();
        using var backend = TestBackends.All[0].Create();
        var ordered = OrderPass.Run(PrunePass.Run([r], [], NoFeeds));
        var shapes = ShapePass.Run(ordered, NoFeeds);
        var storage = StoragePass.Run(ordered, shapes, [r]);
        using var pool = new TemporaryPool(backend);
        var allocation = AllocationPass.Run(ordered, shapes, storage, backend, new FakeVariables(backend), pool);
        var steps = KernelBindingPass.Run(ordered, shapes, storage, allocation.Buffers, backend, streams);
        Assert.Equal(ordered.Count(o => o.Def.RunsKernel), steps.Length);
        Assert.Equal([ordered.Single(o => o.Def.Stateful)], streams.Asked);
        foreach (var b in allocation.Owned) b.Dispose();
    }

    private sealed class FakeVariables(IBackend backend) : IVariableStore
    {
        public Dictionary<Operation, IDeviceBuffer> Buffers { get; } = [];

        public IDeviceBuffer BufferOf(Operation variableOp)
        {
            if (!Buffers.TryGetValue(variableOp, out var b))
                Buffers[variableOp] = b = backend.Allocate((long)variableOp.Output.Shape.Size * variableOp.Output.DType.Size());
            return b;
        }
    }

    private sealed class FakeStreams : IRandomStreams
    {
        public List<Operation> Asked { get; } = [];

        public RandomStream For(Operation op)
        {
            Asked.Add(op);
            return new RandomStream(1);
        }
    }

    // A backend that declares fewer ops than the CPU one it wraps, as a partial second backend would.
    private sealed class WithoutOps(IBackend inner, params OpDef[] missing) : IBackend
    {
        public string Name => "cpu-partial";
        public IDeviceBuffer Allocate(long bytes) => inner.Allocate(bytes);
        public void CopyIn(ReadOnlySpan<byte> source, IDeviceBuffer destination) => inner.CopyIn(source, destination);
        public void CopyOut(IDeviceBuffer source, Span<byte> destination) => inner.CopyOut(source, destination);
        public bool Supports(OpDef op) => !missing.Contains(op) && inner.Supports(op);
        public IKernel? CreateKernel(KernelRequest request) => inner.CreateKernel(request);
        public void Synchronize() => inner.Synchronize();
        public void Dispose() { }
    }
}
