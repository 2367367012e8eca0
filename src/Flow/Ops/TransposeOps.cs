namespace Flow;

// Transpose permutes the axes: output axis i is input axis perm[i]. Its gradient is the inverse permutation.

public static partial class Tf
{
    public static readonly OpDef TransposeDef = new("Transpose", InferTranspose,
        (op, dy) => [Transpose(dy[0]!, InversePermutation(op.Attrs<PermutationAttributes>().Perm))])
    { AttributesType = typeof(PermutationAttributes) };

    /// <summary>Permutes x's axes (tf.transpose): output axis i is input axis perm[i]; null reverses them.</summary>
    public static Tensor Transpose(Tensor x, int[]? perm = null, string? name = null)
    {
        int rank = x.Shape.Rank;
        var p = perm is null ? Enumerable.Range(0, rank).Reverse().ToArray() : (int[])perm.Clone();
        if (p.Length != rank || p.Order().Where((v, i) => v != i).Any())
            throw new ArgumentException($"Transpose: [{string.Join(", ", p)}] is not a permutation of the {rank} axes of {x.Name}");
        return x.Graph.AddOp(TransposeDef, name, [x], [x.DType], new PermutationAttributes(p)).Output;
    }

    private static int[] InversePermutation(int[] perm)
    {
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return inverse;
    }

    private static Shape[] InferTranspose(Operation op, Shape[] s)
    {
        var perm = op.Attrs<PermutationAttributes>().Perm;
        if (perm.Length != s[0].Rank)
            throw new ShapeException($"Transpose '{op.Name}': permutation of {perm.Length} axes for input {s[0]}");
        return [new Shape(perm.Select(p => s[0][p]).ToArray())];
    }
}
