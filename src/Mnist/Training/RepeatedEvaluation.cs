using Flow;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// A data set prepared for measuring a model's accuracy again and again (validation during training):
/// its images are scaled to floats once and each batch's run is prepared once, so a measurement costs
/// only the forward passes. Without this, gathering the pixels and setting up the runs cost softmax
/// regression, whose training steps take a tenth of a millisecond, more than the 5% allowed.
/// </summary>
internal sealed class RepeatedEvaluation
{
    private readonly (Callable Run, HostTensor[] Feeds, int Start)[] _batches;
    private readonly byte[] _labels;

    public RepeatedEvaluation(Session session, ModelGraph model, DataSet data, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _labels = data.Labels;
        var batches = new List<(Callable, HostTensor[], int)>();
        for (int start = 0; start < data.NumExamples; start += batchSize)
        {
            int count = Math.Min(batchSize, data.NumExamples - start);
            var images = new float[count * MnistLayout.ImagePixels];
            data.GatherImages(start, count, images);
            var (feeds, values) = Evaluator.EvalFeeds(model);
            values[0] = HostTensor.From(images, count, MnistLayout.ImagePixels);
            batches.Add((session.MakeCallable([model.Predictions], feeds), values, start));
        }
        _batches = batches.ToArray();
    }

    public int NumExamples => _labels.Length;

    /// <summary>The fraction of the examples the model now classifies right.</summary>
    public double Accuracy()
    {
        int correct = 0;
        foreach (var (run, feeds, start) in _batches)
        {
            var predictions = run.Run(feeds)[0].AsSpan<int>();
            for (int i = 0; i < predictions.Length; i++) if (predictions[i] == _labels[start + i]) correct++;
        }
        return (double)correct / Math.Max(1, _labels.Length);
    }
}
