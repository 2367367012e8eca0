namespace Flow.Train;

/// <summary>Learning-rate schedules of the global step, built as graph tensors (tf.train.*_decay).</summary>
public static class LearningRates
{
    /// <summary>
    /// lr · rate^(step / decaySteps), with the exponent floored when <paramref name="staircase"/>
    /// (tf.train.exponential_decay). Computed in float64 so that a staircase step is exact.
    /// </summary>
    public static Tensor ExponentialDecay(double learningRate, Tensor globalStep, double decaySteps, double decayRate,
        bool staircase = false, DType dtype = DType.Float32)
    {
        var p = Tf.Cast(globalStep, DType.Float64) / decaySteps;
        if (staircase) p = Tf.Floor(p);
        var rate = Tf.Exp(p * Math.Log(decayRate)) * learningRate;
        return Tf.Cast(rate, dtype);
    }

    /// <summary>
    /// lr · ((1 − α)·½(1 + cos(π·min(step, decaySteps)/decaySteps)) + α) (tf.train.cosine_decay): from lr at step 0
    /// down to α·lr at <paramref name="decaySteps"/>, and held there. Computed in float64.
    /// </summary>
    public static Tensor CosineDecay(double learningRate, Tensor globalStep, double decaySteps, double alpha = 0,
        DType dtype = DType.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
        var g = globalStep.Graph;
        var done = Tf.Minimum(Tf.Cast(globalStep, DType.Float64), g.Scalar(decaySteps, DType.Float64)) / decaySteps;
        var cosine = (Tf.Cos(done * Math.PI) + 1.0) * 0.5;
        return Tf.Cast((cosine * (1 - alpha) + alpha) * learningRate, dtype);
    }

    /// <summary>
    /// <paramref name="rate"/> scaled by (step + 1)/warmupSteps for the first <paramref name="warmupSteps"/> steps, then
    /// unchanged: a linear warm-up in front of any schedule (with <see cref="CosineDecay"/>, a one-cycle-like shape).
    /// </summary>
    public static Tensor LinearWarmup(Tensor rate, Tensor globalStep, int warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warmupSteps);
        var g = globalStep.Graph;
        var ramp = Tf.Minimum((Tf.Cast(globalStep, DType.Float64) + 1.0) / warmupSteps, g.Scalar(1.0, DType.Float64));
        return Tf.Cast(ramp, rate.DType) * rate;
    }
}
