using Flow.Backends;

namespace Flow;

/// <summary>
/// Runs parts of a graph (TF 1.x tf.Session): holds the variables' values and the random streams, and
/// compiles each distinct (fetches, targets, feed shapes) once into a plan that it reuses. The plans share one pool
/// of temporaries, so a session takes one caller at a time (serialise runs from several threads).
/// </summary>
public sealed class Session : IDisposable, IVariableStore, IRandomStreams
{
    private readonly Dictionary<string, CompiledPlan> _plans = [];
    private readonly Dictionary<Operation, IDeviceBuffer> _variables = [];
    private readonly HashSet<Operation> _initialized = [];
    private readonly Dictionary<Operation, RandomStream> _random = [];
    private readonly TemporaryPool _temporaries;
    private readonly bool _ownsBackend;

    /// <param name="backend">Where to run (default: the built-in catalog's default backend, the CPU with one thread per core).</param>
    public Session(Graph graph, IBackend? backend = null)
        : this(graph, backend ?? BackendCatalog.Builtin.Create(BackendCatalog.Builtin.Default), ownsBackend: backend is null) { }

    /// <param name="ownsBackend">Dispose the backend with the session (one made for this session alone).</param>
    public Session(Graph graph, IBackend backend, bool ownsBackend)
    {
        Graph = graph;
        Backend = backend;
        _ownsBackend = ownsBackend;
        _temporaries = new TemporaryPool(backend);
    }

    public Graph Graph { get; }
    public IBackend Backend { get; }
    /// <summary>Bytes of the temporaries that all the session's plans share.</summary>
    internal long TemporaryBytes => _temporaries.Bytes;
    /// <summary>When set, every kernel run is timed into it (costs a timestamp per op).</summary>
    public OpProfile? Profile { get; set; }

    public HostTensor Run(Tensor fetch, FeedDict? feeds = null) => Run([fetch], feeds)[0];
    public void Run(Operation target, FeedDict? feeds = null) => Run([], feeds, target);

    /// <summary>
    /// Runs the ops the fetches and targets need and returns the fetched values as new host tensors. Any tensor
    /// can be fed, not only a placeholder: its value replaces its computation, and what only it needs is not
    /// run. Fed values are converted to the tensor's type where TF converts (float64 → float32...).
    /// </summary>
    public HostTensor[] Run(Tensor[] fetches, FeedDict? feeds = null, params Operation[] targets)
    {
        Tensor[] feedTensors = feeds?.Keys.ToArray() ?? [];
        HostTensor[] feedValues = feeds?.Select(kv => FeedConversion.Conform(kv.Key, kv.Value)).ToArray() ?? [];
        var plan = PlanFor(fetches, targets, feedTensors, feedValues);
        var results = plan.Fetches.Select(f => HostTensor.Zeros(f.Tensor.DType, f.Shape)).ToArray();
        Execute(plan, feedTensors, feedValues, results);
        return results;
    }

    /// <summary>
    /// TF's <c>sess.run([train, loss], feed_dict)</c>: fetches that mix tensors and ops, run together; the
    /// values come back in the same order, null in an op's place.
    /// </summary>
    public HostTensor?[] Run(Fetch[] fetches, FeedDict? feeds = null)
    {
        var values = Run(fetches.Where(f => f.Tensor is not null).Select(f => f.Tensor!).ToArray(), feeds,
            fetches.Where(f => f.Operation is not null).Select(f => f.Operation!).ToArray());
        int next = 0;
        return fetches.Select(f => f.Tensor is null ? null : values[next++]).ToArray();
    }

    /// <summary>
    /// A fixed (fetches, feeds, targets) signature for repeated runs without per-run allocation
    /// (TF's Session.make_callable): the training loop's path.
    /// </summary>
    public Callable MakeCallable(Tensor[] fetches, Tensor[] feeds, params Operation[] targets) => new(this, fetches, feeds, targets);

    /// <summary>The current value of a variable, copied to the host.</summary>
    public HostTensor GetValue(Variable v)
    {
        var t = HostTensor.Zeros(v.DType, v.Shape);
        CopyValue(v, t);
        return t;
    }

    /// <summary>Copies a variable's current value into <paramref name="destination"/> (of its type and shape): a repeated
    /// read, such as a checkpoint every few thousand steps, then allocates nothing.</summary>
    public void CopyValue(Variable v, HostTensor destination)
    {
        if (destination.DType != v.DType || !destination.Shape.Equals(v.Shape))
            throw new ArgumentException($"variable '{v.Name}' is {v.DType.Name()} {v.Shape}, the destination is {destination.DType.Name()} {destination.Shape}", nameof(destination));
        CheckInitialized(v.Value.Op);
        Backend.CopyOut(VariableBuffer(v.Value.Op), destination.AsBytes());
    }

    /// <summary>Sets a variable's value (loading a model); marks it initialised.</summary>
    public void SetValue(Variable v, HostTensor value)
    {
        if (value.DType != v.DType || !value.Shape.Equals(v.Shape))
            throw new FeedException($"variable '{v.Name}' is {v.DType.Name()} {v.Shape}, the value is {value.DType.Name()} {value.Shape}");
        Backend.CopyIn(value.AsBytes(), VariableBuffer(v.Value.Op));
        _initialized.Add(v.Value.Op);
    }

    /// <param name="feedValues">Already conformed to their tensors (<see cref="FeedConversion.Conform"/>).</param>
    internal CompiledPlan PlanFor(Tensor[] fetches, Operation[] targets, Tensor[] feedTensors, HostTensor[] feedValues)
    {
        var key = PlanKey(fetches, targets, feedTensors, feedValues);
        if (!_plans.TryGetValue(key, out var plan))
        {
            var shapes = new Dictionary<Tensor, Shape>();
            for (int i = 0; i < feedTensors.Length; i++) shapes[feedTensors[i]] = feedValues[i].Shape;
            _plans[key] = plan = new PlanCompiler(Backend, this, this, _temporaries).Compile(fetches, targets, shapes);
        }
        return plan;
    }

    /// <summary>Copies feeds in (matched by tensor), runs, copies fetches out into <paramref name="results"/>.</summary>
    internal void Execute(CompiledPlan plan, Tensor[] feedTensors, HostTensor[] feedValues, HostTensor[] results)
    {
        foreach (var slot in plan.Feeds)
            Backend.CopyIn(feedValues[Array.IndexOf(feedTensors, slot.Tensor)].AsBytes(), slot.Buffer);
        foreach (var v in plan.VariablesRead) CheckInitialized(v);
        plan.Execute(Profile);
        foreach (var v in plan.VariablesWritten) _initialized.Add(v);
        Backend.Synchronize();
        for (int i = 0; i < plan.Fetches.Length; i++) Backend.CopyOut(plan.Fetches[i].Buffer, results[i].AsBytes());
    }

    IDeviceBuffer IVariableStore.BufferOf(Operation variableOp) => VariableBuffer(variableOp);

    RandomStream IRandomStreams.For(Operation op) => RandomFor(op);

    private IDeviceBuffer VariableBuffer(Operation variableOp)
    {
        if (!_variables.TryGetValue(variableOp, out var buffer))
        {
            var shape = variableOp.Attrs<ShapeAttributes>().Shape;
            _variables[variableOp] = buffer = Backend.Allocate(Math.Max(1, (long)shape.Size * variableOp.Output.DType.Size()));
        }
        return buffer;
    }

    /// <summary>
    /// The stream a stateful op (random tensors, dropout) draws from in this session, created from the op's
    /// seed on first use. Its <see cref="RandomStream.State"/> is what a checkpoint saves and restores; the
    /// ops that have one are <c>graph.Operations.Where(o =&gt; o.Def.Stateful)</c>.
    /// </summary>
    public RandomStream RandomFor(Operation op)
    {
        if (!op.Def.Stateful) throw new ArgumentException($"op '{op.Name}' ({op.Type}) draws no random numbers");
        if (!_random.TryGetValue(op, out var stream))
            _random[op] = stream = new RandomStream(op.Attrs<RandomAttributes>().Seed);
        return stream;
    }

    private void CheckInitialized(Operation variableOp)
    {
        if (!_initialized.Contains(variableOp))
            throw new FeedException($"attempting to use uninitialized variable '{variableOp.Name}': run GlobalVariablesInitializer() first");
    }

    private static string PlanKey(Tensor[] fetches, Operation[] targets, Tensor[] feeds, HostTensor[] values)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var f in fetches) sb.Append(f.Op.Id).Append(':').Append(f.Index).Append(',');
        sb.Append('|');
        foreach (var t in targets) sb.Append(t.Id).Append(',');
        sb.Append('|');
        for (int i = 0; i < feeds.Length; i++) sb.Append(feeds[i].Op.Id).Append(':').Append(feeds[i].Index).Append(values[i].Shape).Append(';');
        return sb.ToString();
    }

    public void Dispose()
    {
        foreach (var p in _plans.Values) p.Dispose();
        _plans.Clear();
        _temporaries.Dispose();
        foreach (var b in _variables.Values) b.Dispose();
        _variables.Clear();
        if (_ownsBackend) Backend.Dispose();
    }
}
