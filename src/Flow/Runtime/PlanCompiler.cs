using Flow.Backends;

namespace Flow;

/// <summary>
/// Compiles (fetches, targets, feed shapes) into a <see cref="CompiledPlan"/>: prune to the ops the
/// fetches need, order them, infer concrete shapes, plan buffers by liveness, and pick kernels.
/// </summary>
internal sealed class PlanCompiler(Session session)
{
    private readonly IBackend _backend = session.Backend;

    public CompiledPlan Compile(Tensor[] fetches, Operation[] targets, IReadOnlyDictionary<Tensor, Shape> feedShapes)
    {
        var ops = Prune(fetches, targets, feedShapes);
        var shapes = InferShapes(ops, feedShapes);

        // Storage ids: a view or state op's output shares its input's storage.
        var storageOf = new Dictionary<Tensor, int>();
        var storageBytes = new List<long>();
        var storageKind = new List<Operation?>(); // source op for variables/feeds/consts, null for temporaries
        foreach (var op in ops)
            foreach (var t in op.Outputs)
            {
                if (op.Def.AliasesInput >= 0) { storageOf[t] = storageOf[op.Inputs[op.Def.AliasesInput]]; continue; }
                storageOf[t] = storageBytes.Count;
                storageBytes.Add((long)shapes[t].Size * t.DType.Size());
                storageKind.Add(IsSource(op) ? op : null);
            }

        // Last step that reads each storage; fetched storages live to the end.
        var lastUse = new int[storageBytes.Count];
        for (int i = 0; i < ops.Count; i++)
        {
            foreach (var t in ops[i].Inputs) lastUse[storageOf[t]] = i;
            foreach (var t in ops[i].Outputs) lastUse[storageOf[t]] = Math.Max(lastUse[storageOf[t]], i);
        }
        foreach (var f in fetches) lastUse[storageOf[f]] = int.MaxValue;

        var owned = new List<IDeviceBuffer>();
        var physical = new IDeviceBuffer?[storageBytes.Count];
        var free = new List<IDeviceBuffer>();
        var steps = new List<CompiledPlan.Step>();
        var feeds = new List<CompiledPlan.Slot>();
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            foreach (var t in op.Outputs)
            {
                int s = storageOf[t];
                if (physical[s] is not null) continue;
                physical[s] = storageKind[s] is { } source ? SourceBuffer(source, t, shapes[t], owned, feeds)
                    : Take(free, storageBytes[s], owned);
            }
            if (NeedsKernel(op))
            {
                var request = new KernelRequest(op,
                    op.Inputs.Select(t => shapes[t]).ToArray(), op.Inputs.Select(t => t.DType).ToArray(),
                    op.Outputs.Select(t => shapes[t]).ToArray(), op.Outputs.Select(t => t.DType).ToArray(),
                    op.Def.Stateful ? session.RandomFor(op) : null);
                var kernel = _backend.CreateKernel(request)
                    ?? throw new NotSupportedException($"backend '{_backend.Name}' has no kernel for op '{op.Name}' of type {op.Type}");
                steps.Add(new(op, kernel,
                    op.Inputs.Select(t => physical[storageOf[t]]!).ToArray(),
                    op.Outputs.Select(t => physical[storageOf[t]]!).ToArray()));
            }
            // Release temporaries whose last reader was this step (after its outputs were placed).
            foreach (var t in op.Inputs.Concat(op.Outputs))
            {
                int s = storageOf[t];
                if (lastUse[s] == i && storageKind[s] is null && physical[s] is { } b && !free.Contains(b))
                    free.Add(b);
            }
        }

        var written = ops.Where(o => o.Def.WritesVariable).Select(o => o.Inputs[0].Op).Distinct().ToArray();
        var read = ops.Where(o => o.Def == Graph.VariableDef && !written.Contains(o)).ToArray();
        var fetchSlots = fetches.Select(f => new CompiledPlan.Slot(f, physical[storageOf[f]]!, shapes[f])).ToArray();
        return new CompiledPlan(steps.ToArray(), feeds.ToArray(), fetchSlots, read, written, owned);
    }

    // The ops the fetches and targets need, through data and control edges, in creation order.
    private static List<Operation> Prune(Tensor[] fetches, Operation[] targets, IReadOnlyDictionary<Tensor, Shape> feedShapes)
    {
        var needed = new HashSet<Operation>();
        var stack = new Stack<Operation>(fetches.Select(f => f.Op).Concat(targets));
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!needed.Add(op)) continue;
            if (op.Def == Graph.PlaceholderDef && !feedShapes.ContainsKey(op.Output))
                throw new FeedException($"placeholder '{op.Name}' (shape {op.Output.Shape}, {op.Output.DType.Name()}) must be fed a value");
            foreach (var t in op.Inputs) stack.Push(t.Op);
            foreach (var c in op.ControlInputs) stack.Push(c);
        }
        return needed.OrderBy(o => o.Id).ToList();
    }

    private static Dictionary<Tensor, Shape> InferShapes(List<Operation> ops, IReadOnlyDictionary<Tensor, Shape> feedShapes)
    {
        var shapes = new Dictionary<Tensor, Shape>();
        foreach (var op in ops)
        {
            var outs = op.Def == Graph.PlaceholderDef ? [feedShapes[op.Output]]
                : op.Def.InferShapes(op, op.Inputs.Select(t => shapes[t]).ToArray());
            for (int i = 0; i < outs.Length; i++)
            {
                if (!outs[i].IsFullyDefined)
                    throw new ShapeException($"op '{op.Name}' ({op.Type}): output shape {outs[i]} is not known at run time");
                shapes[op.Outputs[i]] = outs[i];
            }
        }
        return shapes;
    }

    private static bool IsSource(Operation op) =>
        op.Def == Graph.VariableDef || op.Def == Graph.PlaceholderDef || op.Def == Graph.ConstDef;

    // Sources and views need no kernel; state ops alias their variable but still compute.
    private static bool NeedsKernel(Operation op) =>
        !IsSource(op) && op.Def != Tf.NoOpDef && (op.Def.AliasesInput < 0 || op.Def.WritesVariable);

    private IDeviceBuffer SourceBuffer(Operation op, Tensor t, Shape shape, List<IDeviceBuffer> owned, List<CompiledPlan.Slot> feeds)
    {
        if (op.Def == Graph.VariableDef) return session.VariableBuffer(op);
        var buffer = _backend.Allocate(Math.Max(1, (long)shape.Size * t.DType.Size()));
        owned.Add(buffer);
        if (op.Def == Graph.ConstDef) _backend.CopyIn(op.Attrs<ConstAttributes>().Value.AsBytes(), buffer);
        else feeds.Add(new(t, buffer, shape));
        return buffer;
    }

    // Best fit among freed temporaries, else a new buffer.
    private IDeviceBuffer Take(List<IDeviceBuffer> free, long bytes, List<IDeviceBuffer> owned)
    {
        IDeviceBuffer? best = null;
        foreach (var b in free)
            if (b.Bytes >= bytes && (best is null || b.Bytes < best.Bytes)) best = b;
        if (best is not null && best.Bytes <= 2 * bytes + 4096)
        {
            free.Remove(best);
            return best;
        }
        var fresh = _backend.Allocate(Math.Max(1, bytes));
        owned.Add(fresh);
        return fresh;
    }
}
