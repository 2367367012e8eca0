using System.Diagnostics;
using Flow;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// The training loop: batches from NextBatch, one train-op run per step, a progress line and a
/// metrics record every LogEvery steps, and validation and test accuracy at the end.
/// </summary>
public sealed class Trainer(MnistModel model, ModelGraph graph, Session session, DataSets data, TrainingSettings settings)
{
    /// <summary>Called with each logged step's metrics.</summary>
    public Action<StepMetrics>? OnMetrics { get; init; }
    /// <summary>Called with each progress line (the model's own wording, as its tutorial prints it).</summary>
    public Action<string>? OnLog { get; init; }
    /// <summary>Called after every step with the step number, for progress bars.</summary>
    public Action<int>? OnStep { get; init; }

    public TrainResult Run()
    {
        session.Run(graph.Graph.GlobalVariablesInitializer());
        var step = new TrainStep(graph, session, data.Train, settings.BatchSize, settings.LearningRate);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < settings.Steps; i++)
        {
            step.NextBatch();
            if (settings.LogEvery > 0 && i % settings.LogEvery == 0) Log(step.Measure(i, clock.Elapsed.TotalSeconds));
            step.Train();
            OnStep?.Invoke(i + 1);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var (validation, _) = data.Validation.NumExamples > 0
            ? Evaluator.Evaluate(session, graph, data.Validation, settings.EvalBatchSize) : (double.NaN, []);
        var (test, _) = Evaluator.Evaluate(session, graph, data.Test, settings.EvalBatchSize);
        return new TrainResult(model.Name, settings.Steps, settings.BatchSize, settings.Seed, test, validation,
            seconds, settings.Steps * (double)settings.BatchSize / Math.Max(seconds, 1e-9));
    }

    private void Log(StepMetrics m)
    {
        OnMetrics?.Invoke(m);
        OnLog?.Invoke($"step {m.Step}, loss {m.Loss:F4}, training accuracy {m.BatchAccuracy:G4}");
    }
}

/// <summary>
/// One training step's feeds and prepared runs: the batch arrays are wrapped once and refilled in
/// place by NextBatch, so a step allocates nothing.
/// </summary>
internal sealed class TrainStep
{
    private readonly DataSet _data;
    private readonly int _batchSize;
    private readonly Callable _train, _measure;
    private readonly HostTensor[] _trainFeeds, _evalFeeds;
    private readonly double _constantRate;
    // The constructor draws the first batch (to learn the arrays it fills); the first NextBatch keeps it.
    private bool _firstBatchUnused = true;

    public TrainStep(ModelGraph graph, Session session, DataSet data, int batchSize, double constantRate)
    {
        (_data, _batchSize, _constantRate) = (data, batchSize, constantRate);
        var batch = data.NextBatch(batchSize);
        var images = HostTensor.From(batch.Images, batchSize, 784);
        var labels = graph.LabelFormat == LabelFormat.OneHot
            ? HostTensor.From(batch.OneHotLabels, batchSize, 10) : HostTensor.From(batch.Labels, batchSize);
        var feeds = new List<Tensor> { graph.Images, graph.Labels };
        feeds.AddRange(graph.ModeFeeds.Keys);
        _trainFeeds = [images, labels, .. graph.ModeFeeds.Values.Select(v => v.Train)];
        _evalFeeds = [images, labels, .. graph.ModeFeeds.Values.Select(v => v.Eval)];
        _train = session.MakeCallable([], feeds.ToArray(), graph.TrainOp);
        Tensor[] measured = graph.LearningRate is null ? [graph.Loss, graph.Accuracy] : [graph.Loss, graph.Accuracy, graph.LearningRate];
        _measure = session.MakeCallable(measured, feeds.ToArray());
    }

    /// <summary>Refills the batch arrays (the first batch was drawn by the constructor).</summary>
    public void NextBatch()
    {
        if (_firstBatchUnused) { _firstBatchUnused = false; return; }
        _data.NextBatch(_batchSize);
    }

    public void Train() => _train.Run(_trainFeeds);

    /// <summary>Loss and accuracy on the current batch in evaluation mode (before this step's update).</summary>
    public StepMetrics Measure(int step, double elapsed)
    {
        var r = _measure.Run(_evalFeeds);
        double lr = r.Length > 2 ? r[2].ScalarValue() : _constantRate;
        return new StepMetrics(step, r[0].ScalarValue(), r[1].ScalarValue(), null, lr, elapsed, _data.EpochsCompleted);
    }
}
