using System.Text.Json;
using Flow;
using Flow.Backends.Cpu;
using Mnist.Data;
using Mnist.IO;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>What `mnist train` does: load data, build the model, train, evaluate, write the metrics file.</summary>
public static class TrainingRun
{
    public sealed record Options(string Model, TrainingSettings Settings, DataOptions Data, string? MetricsFile);

    public static TrainResult Execute(Options options, Action<string> log, Action<string>? progress = null)
    {
        var model = ModelCatalog.Get(options.Model);
        var data = model.LoadData(options.Settings, options.Data, progress);
        var graph = model.Build(options.Settings);
        using var backend = new CpuBackend(options.Settings.Threads);
        using var session = new Session(graph.Graph, backend);
        var result = new Trainer(model, graph, session, data, options.Settings) { OnLog = log }.Run();
        if (options.MetricsFile is not null) WriteMetrics(options.MetricsFile, result);
        return result;
    }

    public static void WriteMetrics(string path, TrainResult r)
    {
        var json = JsonSerializer.Serialize(new
        {
            model = r.Model,
            steps = r.Steps,
            batch_size = r.BatchSize,
            seed = r.Seed,
            test_accuracy = r.TestAccuracy,
            validation_accuracy = r.ValidationAccuracy,
            train_seconds = r.TrainSeconds,
            images_per_second = r.ImagesPerSecond,
        }, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.WriteAllText(path, json + "\n");
    }
}
