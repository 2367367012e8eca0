using Flow;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// One training step's feeds and prepared runs. The batch arrays are wrapped as host tensors once and
/// refilled in place, so a step allocates nothing. With an augmenter, every gathered batch is distorted
/// (training batches only: evaluation gathers its own).
/// </summary>
internal sealed class TrainStep
{
    private readonly DataSet _data;
    private readonly int _batchSize;
    private readonly BatchOrder _order;
    private readonly Batch _batch;
    private readonly Callable _train, _measure;
    private readonly HostTensor[] _trainFeeds, _evalFeeds;
    private readonly double _constantRate;

    /// <param name="augmenter">Distorts each batch after it is gathered; null trains on the images as they are.</param>
    public TrainStep(ModelGraph graph, Session session, DataSet data, int batchSize, double constantRate, BatchOrder order,
        BatchAugmenter? augmenter = null)
    {
        (_data, _batchSize, _constantRate, _order, Augmenter) = (data, batchSize, constantRate, order, augmenter);
        _batch = new Batch(batchSize);
        var images = HostTensor.From(_batch.Images, batchSize, 784);
        var labels = graph.LabelFormat == LabelFormat.OneHot
            ? HostTensor.From(_batch.OneHotLabels, batchSize, 10) : HostTensor.From(_batch.Labels, batchSize);
        var feeds = new List<Tensor> { graph.Images, graph.Labels };
        feeds.AddRange(graph.ModeFeeds.Keys);
        _trainFeeds = [images, labels, .. graph.ModeFeeds.Values.Select(v => v.Train)];
        _evalFeeds = [images, labels, .. graph.ModeFeeds.Values.Select(v => v.Eval)];
        // The step's own loss (and rate) come out with the update, so every step can be checked for divergence.
        _train = session.MakeCallable(graph.LearningRate is null ? [graph.Loss] : [graph.Loss, graph.LearningRate], feeds.ToArray(), graph.TrainOp);
        Tensor[] measured = graph.LearningRate is null ? [graph.Loss, graph.Accuracy] : [graph.Loss, graph.Accuracy, graph.LearningRate];
        _measure = session.MakeCallable(measured, feeds.ToArray());
    }

    /// <summary>The batch's distortion, when the run augments.</summary>
    public BatchAugmenter? Augmenter { get; }

    /// <summary>
    /// Fills the batch for step <paramref name="step"/>: TF's shuffled next_batch, or convolutional.py's
    /// window at offset (step·batch) mod (N − batch); then distorts it when the run augments.
    /// </summary>
    public void NextBatch(int step)
    {
        Gather(step);
        Augmenter?.Apply(_batch.Images, _batchSize, step);
    }

    private void Gather(int step)
    {
        if (_order == BatchOrder.Shuffled)
        {
            _data.NextBatch(_batch);
            return;
        }
        int offset = (int)((long)step * _batchSize % Math.Max(1, _data.NumExamples - _batchSize));
        _data.GatherImages(offset, _batchSize, _batch.Images);
        _data.GatherOneHotLabels(offset, _batchSize, _batch.OneHotLabels);
        _data.GatherLabels(offset, _batchSize, _batch.Labels);
    }

    /// <summary>Runs the update; returns the batch's loss in training mode and the learning rate used, both from before the update.</summary>
    public (double Loss, double LearningRate) Train()
    {
        var r = _train.Run(_trainFeeds);
        return (r[0].ScalarValue(), r.Length > 1 ? r[1].ScalarValue() : _constantRate);
    }

    /// <summary>Loss and accuracy on the current batch in evaluation mode (before this step's update).</summary>
    public StepMetrics Measure(int step, double elapsed, double? validationAccuracy)
    {
        var r = _measure.Run(_evalFeeds);
        double lr = r.Length > 2 ? r[2].ScalarValue() : _constantRate;
        return new StepMetrics(step, r[0].ScalarValue(), r[1].ScalarValue(), validationAccuracy, lr, elapsed, _data.EpochsCompleted);
    }
}
