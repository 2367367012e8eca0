namespace Flow;

// Batch normalization (TF's fused_batch_norm) over the last axis (channels) of NHWC images or [N, C] rows,
// and its backprop op. Statistics are per channel over the other M = N·H·W positions.
//   training:  y = scale·(x − μ_B)·invStd + offset, invStd = 1/sqrt(σ²_B + ε), σ²_B the biased batch variance
//   inference: the same with the given mean and variance
// The mode is a run-time scalar input (fed as the deep model feeds keep_prob), so one graph serves both.
// Outputs: y, batch mean, batch variance (Bessel-corrected, σ²_B·M/(M − 1), what TF hands the moving average;
// in inference the given mean and variance), and the saved mean and invStd the gradient reuses (TF's
// reserve spaces). The gradient (TF's FusedBatchNormGrad), with x̂ = (x − μ)·invStd:
//   d offset = Σ dy    d scale = Σ dy·x̂
//   dx = scale·invStd·(dy − (d offset + x̂·d scale)/M)    in training (μ and σ² depend on x)
//   dx = scale·invStd·dy                                  in inference (the plain affine map)
// mean and variance get no gradient; the statistics outputs carry none back.

public static partial class Tf
{
    // Inputs: dy [..., C], x [..., C], scale [C], saved mean [C], saved invStd [C], training (scalar).
    // Outputs: dx [..., C], d scale [C], d offset [C].
    public static readonly OpDef FusedBatchNormGradDef = new("FusedBatchNormGrad", InferFusedBatchNormGrad, (op, _) =>
        throw new NotSupportedException($"FusedBatchNormGrad '{op.Name}': no second-order gradient of batch normalization"))
        { AttributesType = typeof(BatchNormAttributes) };

    public static readonly OpDef FusedBatchNormDef = new("FusedBatchNorm", InferFusedBatchNorm, (op, dy) =>
    {
        if (dy.Skip(1).Any(d => d is not null))
            throw new NotSupportedException($"FusedBatchNorm '{op.Name}': no gradient flows back through its batch statistics, only through y");
        var g = op.Graph.AddOp(FusedBatchNormGradDef, null,
            [dy[0]!, op.Inputs[0], op.Inputs[1], op.Outputs[3], op.Outputs[4], op.Inputs[5]],
            [op.Inputs[0].DType, op.Inputs[0].DType, op.Inputs[0].DType], op.Attrs<BatchNormAttributes>());
        return [g.Outputs[0], g.Outputs[1], g.Outputs[2], null, null, null];
    }) { AttributesType = typeof(BatchNormAttributes) };

    /// <summary>
    /// Batch normalization over the last axis (tf.compat.v1.nn.fused_batch_norm), for NHWC images or [N, C] rows.
    /// </summary>
    /// <param name="scale">γ [C].</param>
    /// <param name="offset">β [C].</param>
    /// <param name="mean">The mean used in inference mode [C] (the moving mean).</param>
    /// <param name="variance">The variance used in inference mode [C] (the moving variance).</param>
    /// <param name="training">A scalar (bool, float32 or float64; nonzero: training) fed at run time.</param>
    /// <returns>y; the batch mean and the Bessel-corrected batch variance in training mode (the given mean
    /// and variance in inference mode), for the moving averages.</returns>
    public static (Tensor Y, Tensor BatchMean, Tensor BatchVariance) FusedBatchNorm(
        Tensor x, Tensor scale, Tensor offset, Tensor mean, Tensor variance, Tensor training,
        double epsilon = 1e-3, string? name = null)
    {
        if (!x.DType.IsFloating())
            throw new ArgumentException($"FusedBatchNorm: needs a floating-point input, got {x.Name} of type {x.DType.Name()}");
        foreach (var t in new[] { scale, offset, mean, variance }) CheckSameType(FusedBatchNormDef, x, t);
        if (training.DType is not (DType.Bool or DType.Float32 or DType.Float64))
            throw new ArgumentException($"FusedBatchNorm: training {training.Name} must be a bool or floating-point scalar, got {training.DType.Name()}");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"FusedBatchNorm: epsilon {epsilon} must be positive");
        var op = x.Graph.AddOp(FusedBatchNormDef, name, [x, scale, offset, mean, variance, training],
            [x.DType, x.DType, x.DType, x.DType, x.DType], new BatchNormAttributes(epsilon));
        return (op.Outputs[0], op.Outputs[1], op.Outputs[2]);
    }

    private static Shape[] InferFusedBatchNorm(Operation op, Shape[] s)
    {
        var c = CheckBatchNormShapes(op, s[0], ("scale", s[1]), ("offset", s[2]), ("mean", s[3]), ("variance", s[4]));
        CheckTrainingScalar(op, s[5]);
        return [s[0], c, c, c, c];
    }

    private static Shape[] InferFusedBatchNormGrad(Operation op, Shape[] s)
    {
        if (!s[0].IsCompatibleWith(s[1]) && !s[1].IsCompatibleWith(s[0]))
            throw new ShapeException($"FusedBatchNormGrad '{op.Name}': dy {s[0]} does not match x {s[1]}");
        var c = CheckBatchNormShapes(op, s[1], ("scale", s[2]), ("saved mean", s[3]), ("saved inverse deviation", s[4]));
        CheckTrainingScalar(op, s[5]);
        return [s[1], c, c];
    }

    // x must be NHWC or [N, C]; every per-channel input [C] with x's last axis. Returns [C].
    private static Shape CheckBatchNormShapes(Operation op, Shape x, params (string Name, Shape Shape)[] perChannel)
    {
        if (x.Rank is not (2 or 4))
            throw new ShapeException($"{op.Type} '{op.Name}': x must be NHWC [N, H, W, C] or [N, C], got {x}");
        int c = x[-1];
        foreach (var (name, shape) in perChannel)
        {
            if (shape.Rank != 1)
                throw new ShapeException($"{op.Type} '{op.Name}': {name} must be [C] (rank 1), got {shape}");
            if (c == Shape.Unknown) c = shape[0];
            else if (shape[0] != Shape.Unknown && shape[0] != c)
                throw new ShapeException($"{op.Type} '{op.Name}': {name} {shape} does not match the {c} channels of x {x}");
        }
        return new Shape(c);
    }

    private static void CheckTrainingScalar(Operation op, Shape training)
    {
        if (training.Rank != 0)
            throw new ShapeException($"{op.Type} '{op.Name}': training must be a scalar, got {training}");
    }
}
