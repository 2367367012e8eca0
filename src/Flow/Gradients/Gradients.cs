namespace Flow;

public static partial class Tf
{
    /// <summary>
    /// Adds ops computing d(sum of ys)/d(xs) to the graph (tf.gradients). Walks the ops between ys and
    /// xs in reverse creation order, sums fan-in, and sums each gradient back over broadcast axes to its
    /// input's shape. Returns null for an x that no y depends on.
    /// </summary>
    /// <param name="gradYs">Initial gradients for ys (default: ones).</param>
    public static Tensor?[] Gradients(Tensor[] ys, Tensor[] xs, Tensor?[]? gradYs = null)
    {
        if (ys.Length == 0) throw new ArgumentException("Gradients needs at least one y");
        var graph = ys[0].Graph;
        using var scope = graph.NameScope("gradients");
        var between = OpsBetween(ys, xs);
        var grads = new Dictionary<Tensor, List<Tensor>>();
        for (int i = 0; i < ys.Length; i++)
            Accumulate(grads, ys[i], gradYs?[i] ?? OnesLike(ys[i]));

        var xSet = xs.ToHashSet();
        foreach (var op in between.OrderByDescending(o => o.Id))
        {
            var dy = op.Outputs.Select(t => Sum(grads, t)).ToArray();
            if (dy.All(d => d is null) || op.Def.NotDifferentiable || op.Inputs.Count == 0) continue;
            if (op.Def.Gradient is null)
                throw new InvalidOperationException($"no gradient is defined for op '{op.Name}' of type {op.Type}, which lies between the loss and the variables");
            using var opScope = graph.NameScope($"{op.Name}_grad");
            var dx = op.Def.Gradient(op, dy);
            for (int i = 0; i < op.Inputs.Count; i++)
            {
                var input = op.Inputs[i];
                if (dx[i] is null || !input.DType.IsFloating()) continue;
                if (!between.Contains(input.Op) && !xSet.Contains(input)) continue;
                Accumulate(grads, input, MatchShape(dx[i]!, input, op));
            }
        }
        return xs.Select(x => Sum(grads, x)).ToArray();
    }

    public static Tensor Gradient(Tensor y, Tensor x) =>
        Gradients([y], [x])[0] ?? throw new InvalidOperationException($"{y.Name} does not depend on {x.Name}");

    // Ops reachable backwards from ys that also depend on some x.
    private static HashSet<Operation> OpsBetween(Tensor[] ys, Tensor[] xs)
    {
        var fromXs = new HashSet<Operation>(xs.Select(x => x.Op));
        int start = fromXs.Min(o => o.Id);
        foreach (var op in ys[0].Graph.Operations.Skip(start))
            if (op.Inputs.Any(t => fromXs.Contains(t.Op))) fromXs.Add(op);
        var between = new HashSet<Operation>();
        var stack = new Stack<Operation>(ys.Select(y => y.Op));
        while (stack.Count > 0)
        {
            var op = stack.Pop();
            if (!fromXs.Contains(op) || !between.Add(op)) continue;
            foreach (var t in op.Inputs) stack.Push(t.Op);
        }
        return between;
    }

    // A gradient computed in the broadcast shape is summed back to its input's shape. SumTo's shape function
    // refuses a gradient that the input does not broadcast to, so a rule of the wrong shape fails here, naming
    // the op (at build time, or at plan time when the dims are only known then).
    private static Tensor MatchShape(Tensor dx, Tensor input, Operation op)
    {
        if (dx.Shape.Equals(input.Shape)) return dx;
        try
        {
            return SumTo(dx, input);
        }
        catch (ShapeException e)
        {
            throw new ShapeException($"gradient of '{op.Name}' ({op.Type}) for {input.Name} has shape {dx.Shape}, which does not reduce to {input.Shape}: {e.Message}");
        }
    }

    private static void Accumulate(Dictionary<Tensor, List<Tensor>> grads, Tensor t, Tensor g)
    {
        if (!grads.TryGetValue(t, out var list)) grads[t] = list = [];
        list.Add(g);
    }

    private static Tensor? Sum(Dictionary<Tensor, List<Tensor>> grads, Tensor t)
    {
        if (!grads.TryGetValue(t, out var list)) return null;
        if (list.Count > 1)
        {
            var total = list.Aggregate((a, b) => a + b);
            list.Clear();
            list.Add(total);
        }
        return list[0];
    }
}
