using System.Diagnostics;
using Mnist.Models;
using Mnist.Predict;

namespace Mnist.Bench;

/// <summary>Single-image inference latency, as `mnist predict` and `mnist serve` see it.</summary>
public sealed record LatencyResult(string Model, int Threads, int Calls, double P50Ms, double P99Ms, double MeanMs, double MaxMs, Flow.OpProfile? Profile);

/// <summary>
/// Times <see cref="DigitPredictor.Predict"/> (scaling, forward pass at batch 1, softmax, ranking) call by call on a
/// freshly initialised model: the weights' values do not change the work, so no trained file is needed.
/// </summary>
public static class LatencyBench
{
    /// <param name="profile">Also time every op in a second pass of as many calls (the timed pass stays clean).</param>
    public static LatencyResult Run(MnistModel model, ReadOnlySpan<float> image, int calls, int threads, string? device = null, bool profile = false)
    {
        var settings = model.DefaultSettings with { Threads = threads, Device = device ?? Devices.Default };
        var graph = model.Build(settings);
        using var trained = new TrainedModel(model, settings, graph, Devices.OpenSession(graph.Graph, settings.Device, threads));
        trained.Session.Run(graph.Graph.GlobalVariablesInitializer());
        var predictor = new DigitPredictor(trained);
        // Warm-up: the plan compiles on the first call and tiered compilation settles after a few hundred.
        var warmup = Stopwatch.StartNew();
        for (int i = 0; i < 200 || warmup.Elapsed.TotalSeconds < 1; i++) predictor.Predict(image);

        var ms = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            predictor.Predict(image);
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(ms);
        Flow.OpProfile? ops = null;
        if (profile)
        {
            trained.Session.Profile = ops = new Flow.OpProfile();
            for (int i = 0; i < calls; i++) predictor.Predict(image);
            trained.Session.Profile = null;
        }
        return new LatencyResult(model.Name, threads, calls, Percentile(ms, 0.50), Percentile(ms, 0.99), ms.Average(), ms[^1], ops);
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
