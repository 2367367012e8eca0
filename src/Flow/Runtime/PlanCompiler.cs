using Flow.Backends;

namespace Flow;

/// <summary>
/// Compiles (fetches, targets, feed shapes) into a <see cref="CompiledPlan"/> by small passes, each over the
/// previous one's result: prune → order → shapes → storage and lifetimes → allocation → kernel binding.
/// A fusion pass belongs between order and shapes: it would replace a run of ops (BiasAdd then Relu) by one
/// op of a fused definition that backends declare like any other, and the later passes would see only that.
/// </summary>
internal sealed class PlanCompiler(IBackend backend, IVariableStore variables, IRandomStreams random, TemporaryPool temporaries)
{
    public CompiledPlan Compile(Tensor[] fetches, Operation[] targets, IReadOnlyDictionary<Tensor, Shape> feedShapes)
    {
        var ordered = OrderPass.Run(PrunePass.Run(fetches, targets, feedShapes));
        var shapes = ShapePass.Run(ordered, feedShapes);
        var storage = StoragePass.Run(ordered, shapes, fetches);
        var allocation = AllocationPass.Run(ordered, shapes, storage, backend, variables, temporaries);
        CompiledPlan.Step[] steps;
        try
        {
            steps = KernelBindingPass.Run(ordered, shapes, storage, allocation.Buffers, backend, random);
        }
        catch
        {
            foreach (var b in allocation.Owned) b.Dispose();
            throw;
        }

        var written = ordered.Where(o => o.Def.WritesVariable).Select(o => o.Inputs[0].Op).Distinct().ToArray();
        var read = ordered.Where(o => o.Def == Graph.VariableDef && !written.Contains(o)).ToArray();
        var fetchSlots = fetches.Select(f => new CompiledPlan.Slot(f, allocation.Buffers[storage.StorageOf[f]], shapes[f])).ToArray();
        return new CompiledPlan(steps, allocation.Feeds, fetchSlots, read, written, allocation.Owned);
    }
}
