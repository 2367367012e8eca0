namespace Flow;

/// <summary>
/// Pass 1: the ops the fetches and targets need, through data and control edges. A fed tensor's value comes
/// from the feed (TF's rule: any tensor can be fed), so the walk stops there: nothing that only fed values
/// need is run.
/// </summary>
internal static class PrunePass
{
    /// <exception cref="FeedException">A needed placeholder is not fed, or a fed tensor's op must run anyway.</exception>
    public static HashSet<Operation> Run(Tensor[] fetches, Operation[] targets, IReadOnlyDictionary<Tensor, Shape> feedShapes)
    {
        var needed = new HashSet<Operation>();
        var stack = new Stack<Operation>(fetches.Where(f => !feedShapes.ContainsKey(f)).Select(f => f.Op).Concat(targets));
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!needed.Add(op)) continue;
            if (op.Def == Graph.PlaceholderDef && !feedShapes.ContainsKey(op.Output))
                throw new FeedException($"placeholder '{op.Name}' (shape {op.Output.Shape}, {op.Output.DType.Name()}) must be fed a value");
            // The op's kernel would overwrite the fed value (a target, or another of its outputs is needed).
            if (op.Outputs.FirstOrDefault(feedShapes.ContainsKey) is { } fed)
                throw new FeedException($"cannot feed '{fed.Name}' in this run: its op '{op.Name}' must run anyway (a target, or another output is needed)");
            if (op.Def.WritesVariable && feedShapes.ContainsKey(op.Inputs[0]))
                throw new FeedException($"cannot feed variable '{op.Inputs[0].Op.Name}' in a run that assigns to it ('{op.Name}')");
            foreach (var t in op.Inputs)
                if (!feedShapes.ContainsKey(t)) stack.Push(t.Op);
            foreach (var c in op.ControlInputs) stack.Push(c);
        }
        return needed;
    }
}
