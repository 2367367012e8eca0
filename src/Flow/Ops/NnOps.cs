namespace Flow;

// Neural-network ops: bias, activations, softmax and the fused softmax cross-entropies, L2 loss, dropout.

public static partial class Tf
{
    public static readonly OpDef BiasAddDef = new("BiasAdd", InferBiasAdd,
        (op, dy) => [dy[0], SumTo(dy[0]!, op.Inputs[1])]);

    public static readonly OpDef ReluDef = new("Relu", ShapeRules.SameAsInput0,
        (op, dy) => [ReluGrad(dy[0]!, op.Outputs[0])]);

    // ReluGrad(dy, y) = dy where y > 0; it is linear in dy with the same mask, and flat in y.
    public static readonly OpDef ReluGradDef = new("ReluGrad", ShapeRules.SameAsInput0,
        (op, dy) => [ReluGrad(dy[0]!, op.Inputs[1]), null]);

    public static readonly OpDef SoftmaxDef = new("Softmax", InferLastAxis, (op, dy) =>
    {
        var y = op.Outputs[0];
        return [(dy[0]! - ReduceSum(dy[0]! * y, -1, keepDims: true)) * y];
    });

    public static readonly OpDef LogSoftmaxDef = new("LogSoftmax", InferLastAxis, (op, dy) =>
        [dy[0]! - Exp(op.Outputs[0]) * ReduceSum(dy[0]!, -1, keepDims: true)]);

    // Outputs: loss [batch] and backprop [batch, classes] = softmax(logits) - labels, computed once in
    // the forward kernel (the numerically stable form the tutorial recommends).
    public static readonly OpDef SoftmaxXentDef = new("SoftmaxCrossEntropyWithLogits", InferXent, (op, dy) =>
    {
        RefuseSecondOrder(op, dy);
        var g = ExpandLastAxis(dy[0]!);
        return [op.Outputs[1] * g, -LogSoftmax(op.Inputs[0]) * g];
    });

    public static readonly OpDef SparseSoftmaxXentDef = new("SparseSoftmaxCrossEntropyWithLogits", InferSparseXent, (op, dy) =>
    {
        RefuseSecondOrder(op, dy);
        return [op.Outputs[1] * ExpandLastAxis(dy[0]!), null];
    });

    public static readonly OpDef L2LossDef = new("L2Loss", ShapeRules.Scalar, (op, dy) => [op.Inputs[0] * dy[0]!]);

    // Inputs: x and a scalar keep probability. Outputs: y = x · mask and the mask itself, 1/keepProb where an
    // element is kept and 0 elsewhere, drawn in the kernel from the op's stream (so keepProb = 1 gives y = x
    // exactly). The gradient reuses the mask; keepProb is a hyperparameter and gets none.
    public static readonly OpDef DropoutDef = new("Dropout", InferDropout,
        (op, dy) => [dy[0]! * op.Outputs[1], null]) { Stateful = true, AttributesType = typeof(RandomAttributes) };

    /// <summary>value + bias, bias along the last axis (NHWC channels).</summary>
    public static Tensor BiasAdd(Tensor value, Tensor bias, string? name = null)
    {
        CheckSameType(BiasAddDef, value, bias);
        return value.Graph.AddOp(BiasAddDef, name, [value, bias], [value.DType]).Output;
    }

    public static Tensor Relu(Tensor x, string? name = null) => Unary(ReluDef, x, name);
    internal static Tensor ReluGrad(Tensor dy, Tensor y) => dy.Graph.AddOp(ReluGradDef, null, [dy, y], [dy.DType]).Output;
    public static Tensor Softmax(Tensor logits, string? name = null) => Unary(SoftmaxDef, logits, name);
    public static Tensor LogSoftmax(Tensor logits, string? name = null) => Unary(LogSoftmaxDef, logits, name);

    /// <summary>
    /// Per-example cross-entropy between one-hot (or soft) labels and softmax(logits), [batch]. Behaves as TF's
    /// <c>softmax_cross_entropy_with_logits_v2</c>: a gradient flows into the labels too (−log softmax(logits)),
    /// which matters only when the labels are computed. TF 1.x's v1 is <see cref="SoftmaxCrossEntropyWithLogitsV1"/>.
    /// </summary>
    public static Tensor SoftmaxCrossEntropyWithLogits(Tensor labels, Tensor logits, string? name = null)
    {
        CheckSameType(SoftmaxXentDef, labels, logits);
        return logits.Graph.AddOp(SoftmaxXentDef, name, [logits, labels], [logits.DType, logits.DType]).Outputs[0];
    }

    /// <summary>
    /// TF 1.x's (deprecated) <c>softmax_cross_entropy_with_logits</c>: the same loss, with the labels' gradient
    /// stopped (TF wraps the labels in stop_gradient, as this does).
    /// </summary>
    public static Tensor SoftmaxCrossEntropyWithLogitsV1(Tensor labels, Tensor logits, string? name = null) =>
        SoftmaxCrossEntropyWithLogits(StopGradient(labels), logits, name);

    /// <summary>Per-example cross-entropy with integer class labels [batch], [batch].</summary>
    public static Tensor SparseSoftmaxCrossEntropyWithLogits(Tensor labels, Tensor logits, string? name = null)
    {
        if (labels.DType != DType.Int32)
            throw new ArgumentException($"SparseSoftmaxCrossEntropyWithLogits: labels {labels.Name} must be int32, got {labels.DType.Name()}");
        return logits.Graph.AddOp(SparseSoftmaxXentDef, name, [logits, labels], [logits.DType, logits.DType]).Outputs[0];
    }

    /// <summary>sum(x²) / 2, TF's weight-decay term.</summary>
    public static Tensor L2Loss(Tensor x, string? name = null) => Unary(L2LossDef, x, name);

    /// <summary>
    /// Inverted dropout (tf.nn.dropout): keeps each element with probability keepProb, scaled by 1/keepProb,
    /// and zeroes the rest; new draws on every run, deterministic for a seed (like the random ops).
    /// </summary>
    /// <param name="keepProb">A scalar of x's type, e.g. a placeholder fed 0.5 while training and 1 while evaluating.</param>
    public static Tensor Dropout(Tensor x, Tensor keepProb, int? seed = null, string? name = null)
    {
        CheckSameType(DropoutDef, x, keepProb);
        if (!x.DType.IsFloating())
            throw new ArgumentException($"Dropout: needs a floating-point input, got {x.Name} of type {x.DType.Name()}");
        return x.Graph.AddOp(DropoutDef, name, [x, keepProb], [x.DType, x.DType], new RandomAttributes(x.Graph.StreamSeed(seed))).Outputs[0];
    }

    public static Tensor Dropout(Tensor x, double keepProb, int? seed = null, string? name = null) =>
        keepProb is > 0 and <= 1 ? Dropout(x, x.Graph.Scalar(keepProb, x.DType), seed, name)
            : throw new ArgumentOutOfRangeException(nameof(keepProb), $"Dropout: keep probability {keepProb} is outside (0, 1]");

    // [batch] -> [batch, 1], to scale each row of a [batch, classes] gradient.
    private static Tensor ExpandLastAxis(Tensor x) => Reshape(x, new Shape(-1, 1));

    private static void RefuseSecondOrder(Operation op, Tensor?[] dy)
    {
        if (dy[1] is not null)
            throw new NotSupportedException($"{op.Type} '{op.Name}': no gradient through its backprop output (second order)");
    }

    private static Shape[] InferBiasAdd(Operation op, Shape[] s)
    {
        if (s[1].Rank != 1 || s[0].Rank < 1)
            throw new ShapeException($"BiasAdd '{op.Name}': needs value of rank ≥ 1 and a rank-1 bias, got {s[0]} and {s[1]}");
        if (s[0][-1] != s[1][0] && s[0][-1] != Shape.Unknown && s[1][0] != Shape.Unknown)
            throw new ShapeException($"BiasAdd '{op.Name}': bias {s[1]} does not match the last axis of {s[0]}");
        return [s[0]];
    }

    private static Shape[] InferDropout(Operation op, Shape[] s) => s[1].Rank == 0 ? [s[0], s[0]]
        : throw new ShapeException($"Dropout '{op.Name}': keepProb must be a scalar, got {s[1]}");

    private static Shape[] InferLastAxis(Operation op, Shape[] s) => s[0].Rank >= 1 ? [s[0]]
        : throw new ShapeException($"{op.Type} '{op.Name}': needs rank ≥ 1, got a scalar");

    private static Shape[] InferXent(Operation op, Shape[] s)
    {
        if (s[0].Rank != 2 || !s[0].IsCompatibleWith(s[1]) || s[1].Rank != 2)
            throw new ShapeException($"{op.Type} '{op.Name}': logits and labels must both be [batch, classes], got {s[0]} and {s[1]}");
        return [new Shape(s[0][0]), s[0]];
    }

    private static Shape[] InferSparseXent(Operation op, Shape[] s)
    {
        if (s[0].Rank != 2 || s[1].Rank != 1 || !new Shape(s[0][0]).IsCompatibleWith(s[1]))
            throw new ShapeException($"{op.Type} '{op.Name}': logits must be [batch, classes] and labels [batch], got {s[0]} and {s[1]}");
        return [new Shape(s[0][0]), s[0]];
    }
}
