using Flow.Backends;

namespace Flow;

/// <summary>
/// Pass 5: a backend buffer for every storage. Variables come from the store; fed tensors and constants get
/// their own (constants filled once); temporaries take a free buffer of the session's pool of a fitting size when
/// their first writer runs, and give it back after their last use, so a plan needs about as many as are live at
/// once, and the session about as many as its largest plan.
/// </summary>
internal static class AllocationPass
{
    internal sealed record Result(IDeviceBuffer[] Buffers, CompiledPlan.Slot[] Feeds, List<IDeviceBuffer> Owned);

    public static Result Run(IReadOnlyList<Operation> ordered, IReadOnlyDictionary<Tensor, Shape> shapes, StoragePass.Plan storage,
        IBackend backend, IVariableStore variables, TemporaryPool temporaries)
    {
        var owned = new List<IDeviceBuffer>();
        var physical = new IDeviceBuffer?[storage.Count];
        var free = temporaries.Buffers.ToList();
        var feeds = new List<CompiledPlan.Slot>();
        foreach (var t in storage.Fed)
        {
            var buffer = Own(backend.Allocate(Math.Max(1, (long)shapes[t].Size * t.DType.Size())), owned);
            physical[storage.StorageOf[t]] = buffer;
            feeds.Add(new(t, buffer, shapes[t]));
        }
        for (int i = 0; i < ordered.Count; i++)
        {
            var op = ordered[i];
            foreach (var t in op.Outputs)
            {
                int s = storage.StorageOf[t];
                if (physical[s] is not null) continue;
                physical[s] = storage.Source[s] is { } source ? SourceBuffer(source, t, shapes[t], backend, variables, owned)
                    : Take(free, storage.Bytes[s], temporaries);
            }
            // Release temporaries whose last reader was this step (after its outputs were placed).
            foreach (var t in op.Inputs.Concat(op.Outputs))
            {
                int s = storage.StorageOf[t];
                if (storage.LastUse[s] == i && storage.Source[s] is null && physical[s] is { } b && !free.Contains(b))
                    free.Add(b);
            }
        }
        return new Result(physical!, feeds.ToArray(), owned);
    }

    // A variable's buffer (the store's) or a constant's (filled once).
    private static IDeviceBuffer SourceBuffer(Operation op, Tensor t, Shape shape, IBackend backend, IVariableStore variables,
        List<IDeviceBuffer> owned)
    {
        if (op.Def == Graph.VariableDef) return variables.BufferOf(op);
        var buffer = Own(backend.Allocate(Math.Max(1, (long)shape.Size * t.DType.Size())), owned);
        backend.CopyIn(op.Attrs<ConstAttributes>().Value.AsBytes(), buffer);
        return buffer;
    }

    private static IDeviceBuffer Own(IDeviceBuffer buffer, List<IDeviceBuffer> owned)
    {
        owned.Add(buffer);
        return buffer;
    }

    // Best fit among free temporaries (at most about twice the size), else a new buffer of the pool.
    private static IDeviceBuffer Take(List<IDeviceBuffer> free, long bytes, TemporaryPool temporaries)
    {
        IDeviceBuffer? best = null;
        foreach (var b in free)
            if (b.Bytes >= bytes && (best is null || b.Bytes < best.Bytes)) best = b;
        if (best is not null && best.Bytes <= 2 * bytes + 4096)
        {
            free.Remove(best);
            return best;
        }
        return temporaries.Allocate(bytes);
    }
}
