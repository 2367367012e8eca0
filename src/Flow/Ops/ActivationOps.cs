namespace Flow;

// Smooth activations and softmax along any axis. Sigmoid's and tanh's gradients are written from their
// outputs, as TF's SigmoidGrad/TanhGrad are: σ' = y(1 − y), tanh' = 1 − y².

public static partial class Tf
{
    public static readonly OpDef SigmoidDef = new("Sigmoid", ShapeRules.SameAsInput0, (op, dy) =>
    {
        var y = op.Outputs[0];
        return [dy[0]! * y * (1.0 - y)];
    });

    public static readonly OpDef TanhDef = new("Tanh", ShapeRules.SameAsInput0, (op, dy) =>
    {
        var y = op.Outputs[0];
        return [dy[0]! * (1.0 - y * y)];
    });

    /// <summary>1 / (1 + e^−x), element-wise.</summary>
    public static Tensor Sigmoid(Tensor x, string? name = null) => Unary(SigmoidDef, x, name);

    /// <summary>The hyperbolic tangent, element-wise.</summary>
    public static Tensor Tanh(Tensor x, string? name = null) => Unary(TanhDef, x, name);

    /// <summary>
    /// Softmax along <paramref name="axis"/> (negative counts from the end). As TF 1.x does, any axis but the
    /// last is swapped to the end, normalised there and swapped back, so its gradient is Softmax's and Transpose's.
    /// </summary>
    public static Tensor Softmax(Tensor logits, int axis, string? name = null)
    {
        int rank = logits.Shape.Rank;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Softmax: axis {axis} is out of range for {logits.Name} of rank {rank}");
        if (a == rank - 1) return Softmax(logits, name);
        var swap = Enumerable.Range(0, rank).ToArray();
        (swap[a], swap[rank - 1]) = (rank - 1, a);
        return Transpose(Softmax(Transpose(logits, swap)), swap, name);
    }
}
