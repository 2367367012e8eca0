namespace Flow;

/// <summary>
/// A batch-normalization layer: its output, its trainable γ and β, its moving statistics (non-trainable
/// variables of <see cref="VariableRole.Model"/>, so a model file or checkpoint keeps them) and the two ops that
/// update them, also added to <see cref="Graph.UpdateOps"/>.
/// </summary>
public sealed record BatchNorm(Tensor Output, Variable Gamma, Variable Beta, Variable MovingMean, Variable MovingVariance, Operation[] UpdateOps);

public static partial class Tf
{
    /// <summary>
    /// tf.compat.v1.layers.batch_normalization over the last axis of NHWC images or [N, C] rows: γ (ones) and
    /// β (zeros) are trained; moving_mean (zeros) and moving_variance (ones) follow the batch statistics by
    /// moving −= (moving − batch)·(1 − momentum) (TF's assign_moving_average) whenever an update op runs, and
    /// are what inference (training fed 0) normalises with. The update ops go to <see cref="Graph.UpdateOps"/>;
    /// in inference mode the batch statistics are the moving ones, so running them there changes nothing.
    /// </summary>
    /// <param name="training">A scalar (bool or float32) fed at run time: nonzero while training.</param>
    /// <param name="name">The name scope of the variables and ops ("batch_normalization/gamma" ...).</param>
    public static BatchNorm BatchNormalization(Tensor x, Tensor training, double momentum = 0.99, double epsilon = 1e-3,
        string name = "batch_normalization")
    {
        if (!(momentum is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"BatchNormalization '{name}': momentum {momentum} is outside [0, 1]");
        int c = x.Shape.Rank > 0 ? x.Shape[-1] : Shape.Unknown;
        if (x.Shape.Rank is not (2 or 4) || c == Shape.Unknown)
            throw new ShapeException($"BatchNormalization '{name}': x must be NHWC [N, H, W, C] or [N, C] with C known, got {x.Shape}");
        var g = x.Graph;
        using var scope = g.NameScope(name);
        var channels = new Shape(c);
        var gamma = g.Variable(g.Ones(channels, x.DType), "gamma");
        var beta = g.Variable(g.Zeros(channels, x.DType), "beta");
        var movingMean = g.Variable(g.Zeros(channels, x.DType), "moving_mean", trainable: false);
        var movingVariance = g.Variable(g.Ones(channels, x.DType), "moving_variance", trainable: false);
        var (y, batchMean, batchVariance) = FusedBatchNorm(x, gamma, beta, movingMean, movingVariance, training, epsilon, "FusedBatchNorm");
        Operation[] updates =
        [
            MovingAverage(movingMean, batchMean, momentum, "AssignMovingAvg"),
            MovingAverage(movingVariance, batchVariance, momentum, "AssignMovingAvg_1"),
        ];
        g.UpdateOps.AddRange(updates);
        return new BatchNorm(y, gamma, beta, movingMean, movingVariance, updates);
    }

    private static Operation MovingAverage(Variable moving, Tensor value, double momentum, string name) =>
        AssignSub(moving, (moving - value) * (1 - momentum), name).Op;
}
