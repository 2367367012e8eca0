namespace Flow.Train;

public static class LearningRates
{
    /// <summary>
    /// lr · rate^(step / decaySteps), with the exponent floored when <paramref name="staircase"/>
    /// (tf.train.exponential_decay). Computed in float64 so that a staircase step is exact.
    /// </summary>
    public static Tensor ExponentialDecay(double learningRate, Tensor globalStep, double decaySteps, double decayRate,
        bool staircase = false, DType dtype = DType.Float32)
    {
        var g = globalStep.Graph;
        var p = Tf.Cast(globalStep, DType.Float64) / decaySteps;
        if (staircase) p = Tf.Floor(p);
        var rate = Tf.Exp(p * Math.Log(decayRate)) * learningRate;
        return Tf.Cast(rate, dtype);
    }
}
