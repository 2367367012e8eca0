using System.Diagnostics;
using Flow;
using Mnist.Data;
using Mnist.Inspect;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// The training loop: one train-op run per batch, and at the steps <see cref="LogSchedule"/> picks the
/// model's own progress lines and a metrics record, some with validation accuracy; validation and
/// test accuracy on the whole sets at the end.
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
        var schedule = new LogSchedule(steps, settings.LogEvery, settings.FixedLogEvery, model.ValidatesWhenLogging && settings.FixedLogEvery);
        var validation = Examples.Subset(data.Validation,
            Enumerable.Range(0, schedule.ValidationImages(settings.BatchSize, data.Validation.NumExamples)).ToArray());
        var clock = Stopwatch.StartNew();
        var validating = new Stopwatch();
        double lastLog = 0;
        int lastLogged = 0;
        for (int i = 0; i < steps; i++)
        {
            step.NextBatch(i);
            if (schedule.IsLogged(i))
            {
                double now = clock.Elapsed.TotalMilliseconds;
                validating.Start();
                double? accuracy = schedule.IsValidated(i) && validation.NumExamples > 0
                    ? Evaluator.Evaluate(session, graph, validation, settings.EvalBatchSize).Accuracy : null;
                validating.Stop();
                Log(step.Measure(i, now / 1000, accuracy), i == 0 ? 0 : (now - lastLog) / (i - lastLogged));
                (lastLog, lastLogged) = (clock.Elapsed.TotalMilliseconds, i);
            }
            step.Train();
            OnStep?.Invoke(i + 1, steps);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var (validationAccuracy, _) = data.Validation.NumExamples > 0
            ? Evaluator.Evaluate(session, graph, data.Validation, settings.EvalBatchSize) : (double.NaN, []);
        var (test, predictions) = Evaluator.Evaluate(session, graph, data.Test, settings.EvalBatchSize);
        return new TrainResult(model.Name, steps, settings.BatchSize, settings.Seed, test, validationAccuracy,
            seconds, steps * (double)settings.BatchSize / Math.Max(seconds, 1e-9), predictions)
            { ValidationSeconds = validating.Elapsed.TotalSeconds, ValidationImages = validation.NumExamples };
    }

    private void Log(StepMetrics m, double msPerStep)
    {
        OnMetrics?.Invoke(m);
        foreach (var line in model.FormatLog(m, msPerStep, settings.BatchSize, data.Train.NumExamples)) OnLog?.Invoke(line);
    }
}
