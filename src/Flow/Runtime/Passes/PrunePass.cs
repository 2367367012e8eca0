namespace Flow;

/// <summary>Pass 1: the ops the fetches and targets need, through data and control edges.</summary>
internal static class PrunePass
{
    /// <exception cref="FeedException">A needed placeholder is not fed.</exception>
    public static HashSet<Operation> Run(Tensor[] fetches, Operation[] targets, IReadOnlyDictionary<Tensor, Shape> feedShapes)
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
        return needed;
    }
}
