namespace Flow;

/// <summary>Pass 3: every output's concrete shape, from the fed shapes through each op's shape function.</summary>
internal static class ShapePass
{
    /// <exception cref="ShapeException">An op refuses its inputs' shapes, or an output's shape stays unknown.</exception>
    public static Dictionary<Tensor, Shape> Run(IReadOnlyList<Operation> ordered, IReadOnlyDictionary<Tensor, Shape> feedShapes)
    {
        // Fed tensors (placeholders or any other) are not produced by the plan: their shapes are the feeds'.
        var shapes = new Dictionary<Tensor, Shape>(feedShapes);
        foreach (var op in ordered)
        {
            var outs = op.Def.InferShapes(op, op.Inputs.Select(t => shapes[t]).ToArray());
            for (int i = 0; i < outs.Length; i++)
            {
                if (!outs[i].IsFullyDefined)
                    throw new ShapeException($"op '{op.Name}' ({op.Type}): output shape {outs[i]} is not known at run time");
                shapes[op.Outputs[i]] = outs[i];
            }
        }
        return shapes;
    }
}
