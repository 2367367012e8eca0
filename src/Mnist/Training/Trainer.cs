using System.Diagnostics;
using Flow;
using Mnist.Data;
using Mnist.Inspect;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// The training loop: one train-op run per batch, and at the steps <see cref="LogSchedule"/> picks the
/// model's own progress lines and a metrics record, some with validation accuracy; checkpoints every
/// CheckpointEvery steps and at the end; validation and test accuracy on the whole sets at the end.
/// A loss that turns NaN or infinite stops it (TF's NanTensorHook); a stop request ends it after the
/// current step with a checkpoint.
/// </summary>
public sealed class Trainer(MnistModel model, ModelGraph graph, Session session, DataSets data, TrainingSettings settings)
{
    /// <summary>A loss past this is warned about once (the run goes on).</summary>
    public const double LossWarning = 1e6;

    private readonly List<StepMetrics> _metrics = [];
    // The host copies every checkpoint's variables go into (see OnCheckpoint).
    private Dictionary<string, HostTensor>? _checkpointValues;

    /// <summary>Called with each logged step's metrics.</summary>
    public Action<StepMetrics>? OnMetrics { get; init; }
    /// <summary>Called with each progress line (the model's own wording, as its tutorial prints it).</summary>
    public Action<string>? OnLog { get; init; }
    /// <summary>Called once with a warning line (a loss past <see cref="LossWarning"/>).</summary>
    public Action<string>? OnWarning { get; init; }
    /// <summary>Called after every step with the number of steps done and the total, for progress bars.</summary>
    public Action<int, int>? OnStep { get; init; }
    /// <summary>Steps between checkpoints (a last one at the end); 0 writes none, except when stopped.</summary>
    public int CheckpointEvery { get; init; }
    /// <summary>Receives each checkpoint to write before it returns: the next checkpoint reuses its variables' tensors.</summary>
    public Action<Checkpoint>? OnCheckpoint { get; init; }
    /// <summary>The settings a checkpoint records (<see cref="Checkpoint.DescribeSettings"/>).</summary>
    public IReadOnlyDictionary<string, string> CheckpointSettings { get; init; } = settings.Describe();
    /// <summary>When cancelled, the loop ends after the current step, with a checkpoint.</summary>
    public CancellationToken Stop { get; init; }

    public int Steps => model.StepsFor(settings, data.Train.NumExamples);

    /// <summary>Every logged step so far, a resumed run's earlier ones included.</summary>
    public IReadOnlyList<StepMetrics> Metrics => _metrics;

    /// <summary>Steps done at the last checkpoint written or resumed from; null when there is none.</summary>
    public int? LastCheckpoint { get; private set; }

    /// <param name="resume">Continue from this checkpoint (and the file it came from, for messages).</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainResult Run((Checkpoint Checkpoint, string Path)? resume = null)
    {
        session.Run(graph.Graph.GlobalVariablesInitializer());
        var step = new TrainStep(graph, session, data.Train, settings.BatchSize, settings.LearningRate, model.BatchOrder,
            settings.Augment ? new BatchAugmenter(Devices.HostPool(session), settings.Seed, data.Train.Scaling) : null);
        int first = 0;
        double earlier = 0;
        if (resume is var (checkpoint, path))
        {
            checkpoint.Restore(session, data.Train, path);
            (first, earlier, LastCheckpoint) = (checkpoint.Step, checkpoint.TrainSeconds, checkpoint.Step);
            _metrics.AddRange(checkpoint.Metrics);
        }
        int steps = Steps, done = steps;
        bool warned = false, stopped = false;
        var schedule = new LogSchedule(steps, settings.LogEvery, settings.FixedLogEvery, model.ValidatesWhenLogging && settings.FixedLogEvery);
        var validation = new RepeatedEvaluation(session, graph, Examples.Subset(data.Validation,
            Enumerable.Range(0, schedule.ValidationImages(settings.BatchSize, data.Validation.NumExamples)).ToArray()), settings.EvalBatchSize);
        var clock = Stopwatch.StartNew();
        double Elapsed() => earlier + clock.Elapsed.TotalSeconds;
        var validating = new Stopwatch();
        double lastLog = 0;
        int lastLogged = first;
        for (int i = first; i < steps; i++)
        {
            step.NextBatch(i);
            if (schedule.IsLogged(i))
            {
                double now = clock.Elapsed.TotalMilliseconds;
                validating.Start();
                double? accuracy = schedule.IsValidated(i) && validation.NumExamples > 0 ? validation.Accuracy() : null;
                validating.Stop();
                Log(step.Measure(i, Elapsed(), accuracy), i == first ? 0 : (now - lastLog) / (i - lastLogged));
                (lastLog, lastLogged) = (clock.Elapsed.TotalMilliseconds, i);
            }
            var (loss, rate) = step.Train();
            if (!double.IsFinite(loss)) throw new TrainingDivergedException(i, loss, rate, LastCheckpoint);
            if (!warned && Math.Abs(loss) > LossWarning)
            {
                warned = true;
                OnWarning?.Invoke($"warning: loss {loss:G4} at step {i} is past 1e6 (learning rate {rate:G6}); the run goes on");
            }
            OnStep?.Invoke(i + 1, steps);
            stopped = Stop.IsCancellationRequested && i + 1 < steps;
            bool due = CheckpointEvery > 0 && ((i + 1) % CheckpointEvery == 0 || i + 1 == steps);
            if (stopped || due) Save(i + 1, Elapsed());
            if (stopped)
            {
                done = i + 1;
                break;
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var (validationAccuracy, _) = data.Validation.NumExamples > 0
            ? Evaluator.Evaluate(session, graph, data.Validation, settings.EvalBatchSize) : (double.NaN, []);
        var (test, predictions) = Evaluator.Evaluate(session, graph, data.Test, settings.EvalBatchSize);
        return new TrainResult(model.Name, done, settings.BatchSize, settings.Seed, test, validationAccuracy,
            earlier + seconds, (done - first) * (double)settings.BatchSize / Math.Max(seconds, 1e-9), predictions)
            { ValidationSeconds = validating.Elapsed.TotalSeconds, ValidationImages = validation.NumExamples, Stopped = stopped };
    }

    private void Save(int stepsDone, double trainSeconds)
    {
        if (OnCheckpoint is null) return;
        _checkpointValues ??= session.Graph.GlobalVariables.ToDictionary(v => v.Name, v => HostTensor.Zeros(v.DType, v.Shape), StringComparer.Ordinal);
        OnCheckpoint(Checkpoint.Capture(model.Name, CheckpointSettings, stepsDone, session, data.Train, _metrics, trainSeconds, _checkpointValues));
        LastCheckpoint = stepsDone;
    }

    private void Log(StepMetrics m, double msPerStep)
    {
        _metrics.Add(m);
        OnMetrics?.Invoke(m);
        foreach (var line in model.FormatLog(m, msPerStep, settings.BatchSize, data.Train.NumExamples)) OnLog?.Invoke(line);
    }
}
