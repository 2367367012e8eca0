using System.Diagnostics;
using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Bench;

/// <summary>One model's training-loop measurement.</summary>
public sealed record BenchResult(string Model, int BatchSize, int Threads, int Steps, double Seconds,
    double StepsPerSecond, double ImagesPerSecond, double GFlopsPerSecond, long AllocatedBytesPerStep, OpProfile? Profile,
    double? EvalSeconds)
{
    /// <summary>Milliseconds per timed step spent distorting the batch; null when the run does not augment.</summary>
    public double? AugmentMsPerStep { get; init; }
}

/// <summary>
/// Times the training loop (next batch, forward, backward, update) of a model after a warm-up that
/// compiles the plan and lets the JIT settle: at least 50 steps and one second, because tiered
/// compilation replaces the first, quick code of hot methods only after a delay, and then until ten
/// steps in a row allocate nothing.
/// </summary>
public static class TrainingBench
{
    /// <param name="profile">Also time every op in a second pass (timestamps cost a little, so the first pass stays clean).</param>
    /// <param name="test">When given, also times one evaluation pass over it (after an untimed one).</param>
    /// <param name="device">The backend to run on (<see cref="Devices.Names"/>).</param>
    /// <param name="augment">Distort the batches (default: as the model's recipe does).</param>
    public static BenchResult Run(MnistModel model, DataSet train, int batchSize, int steps, int threads, bool profile = false,
        int warmupSteps = 50, DataSet? test = null, string? device = null, bool? augment = null)
    {
        var settings = model.DefaultSettings with { BatchSize = batchSize, Threads = threads, Device = device ?? Devices.Default };
        settings = settings with { Augment = augment ?? settings.Augment };
        var graph = model.Build(settings);
        using var session = Devices.OpenSession(graph.Graph, settings.Device, threads);
        session.Run(graph.Graph.GlobalVariablesInitializer());
        var step = new TrainStep(graph, session, train, batchSize, settings.LearningRate, model.BatchOrder,
            settings.Augment ? new BatchAugmenter(Devices.HostPool(session), settings.Seed, train.Scaling) : null);
        var warmup = Stopwatch.StartNew();
        int done = 0;
        for (; done < warmupSteps || warmup.Elapsed.TotalSeconds < 1; done++) { step.NextBatch(done); step.Train(); }
        // Then until a round of steps allocates nothing (the JIT's late tier-ups allocate a little), or 20 s.
        for (long before = -1; before != GC.GetTotalAllocatedBytes(precise: true) && warmup.Elapsed.TotalSeconds < 20;)
        {
            before = GC.GetTotalAllocatedBytes(precise: true);
            for (int k = 0; k < 10; k++, done++) { step.NextBatch(done); step.Train(); }
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long augmentTicks = step.Augmenter?.ElapsedTicks ?? 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) { step.NextBatch(i); step.Train(); }
        double seconds = clock.Elapsed.TotalSeconds;
        double? augmentMs = step.Augmenter is { } a ? (a.ElapsedTicks - augmentTicks) * 1e3 / Stopwatch.Frequency / steps : null;
        long perStep = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / Math.Max(1, steps);
        double images = (double)steps * batchSize;
        OpProfile? ops = null;
        if (profile)
        {
            session.Profile = ops = new OpProfile();
            for (int i = 0; i < steps; i++) { step.NextBatch(i); step.Train(); }
            session.Profile = null;
        }
        double? evalSeconds = null;
        if (test is not null)
        {
            Evaluator.Evaluate(session, graph, test, settings.EvalBatchSize);
            var evalClock = Stopwatch.StartNew();
            Evaluator.Evaluate(session, graph, test, settings.EvalBatchSize);
            evalSeconds = evalClock.Elapsed.TotalSeconds;
        }
        return new BenchResult(model.Name, batchSize, threads, steps, seconds, steps / seconds, images / seconds,
            images * model.TrainFlopsPerImage / seconds / 1e9, perStep, ops, evalSeconds) { AugmentMsPerStep = augmentMs };
    }
}
