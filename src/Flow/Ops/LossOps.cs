namespace Flow;

// Losses built from the primitive ops (no kernels of their own), as tf.losses.* builds them.

public static partial class Tf
{
    /// <summary>
    /// The mean softmax cross-entropy of one-hot labels [N, K] and logits [N, K] (tf.losses.softmax_cross_entropy):
    /// with <paramref name="labelSmoothing"/> ε the labels become y·(1 − ε) + ε/K, so the model is pushed less
    /// towards certainty.
    /// </summary>
    public static Tensor SoftmaxCrossEntropyLoss(Tensor onehotLabels, Tensor logits, double labelSmoothing = 0, string? name = null)
    {
        if (labelSmoothing is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"SoftmaxCrossEntropyLoss: label smoothing {labelSmoothing} is outside [0, 1]");
        int classes = logits.Shape[-1];
        if (labelSmoothing > 0 && classes == Shape.Unknown)
            throw new ArgumentException($"SoftmaxCrossEntropyLoss: label smoothing needs a known class count; {logits.Name} is {logits.Shape}");
        var labels = labelSmoothing > 0 ? onehotLabels * (1 - labelSmoothing) + labelSmoothing / classes : onehotLabels;
        return ReduceMean(SoftmaxCrossEntropyWithLogits(labels, logits), name: name ?? "softmax_cross_entropy_loss");
    }
}
