using System.Diagnostics;
using Flow;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// The training loop: one train-op run per batch, and every LogEvery steps the model's own progress
/// lines and a metrics record; validation and test accuracy at the end.
/// </summary>
public sealed class Trainer(MnistModel model, ModelGraph graph, Session session, DataSets data, TrainingSettings settings)
{
    /// <summary>Called with each logged step's metrics.</summary>
    public Action<StepMetrics>? OnMetrics { get; init; }
    /// <summary>Called with each progress line (the model's own wording, as its tutorial prints it).</summary>
    public Action<string>? OnLog { get; init; }
    /// <summary>Called after every step with the number of steps done and the total, for progress bars.</summary>
    public Action<int, int>? OnStep { get; init; }

    public int Steps => model.StepsFor(settings, data.Train.NumExamples);

    public TrainResult Run()
    {
        session.Run(graph.Graph.GlobalVariablesInitializer());
        var step = new TrainStep(graph, session, data.Train, settings.BatchSize, settings.LearningRate, model.BatchOrder);
        int steps = Steps;
        var clock = Stopwatch.StartNew();
        double lastLog = 0;
        for (int i = 0; i < steps; i++)
        {
            step.NextBatch(i);
            if (settings.LogEvery > 0 && i % settings.LogEvery == 0)
            {
                double now = clock.Elapsed.TotalMilliseconds;
                Log(step.Measure(i, now / 1000, ValidationAccuracy()), i == 0 ? 0 : (now - lastLog) / settings.LogEvery);
                lastLog = clock.Elapsed.TotalMilliseconds;
            }
            step.Train();
            OnStep?.Invoke(i + 1, steps);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var (validation, _) = data.Validation.NumExamples > 0
            ? Evaluator.Evaluate(session, graph, data.Validation, settings.EvalBatchSize) : (double.NaN, []);
        var (test, predictions) = Evaluator.Evaluate(session, graph, data.Test, settings.EvalBatchSize);
        return new TrainResult(model.Name, steps, settings.BatchSize, settings.Seed, test, validation,
            seconds, steps * (double)settings.BatchSize / Math.Max(seconds, 1e-9), predictions);
    }

    private double? ValidationAccuracy() => model.ValidatesWhenLogging && data.Validation.NumExamples > 0
        ? Evaluator.Evaluate(session, graph, data.Validation, settings.EvalBatchSize).Accuracy : null;

    private void Log(StepMetrics m, double msPerStep)
    {
        OnMetrics?.Invoke(m);
        foreach (var line in model.FormatLog(m, msPerStep, settings.BatchSize, data.Train.NumExamples)) OnLog?.Invoke(line);
    }
}
