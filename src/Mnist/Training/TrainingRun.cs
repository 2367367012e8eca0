using System.Text.Json;
using Flow;
using Mnist.Data;
using Mnist.IO;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// What `mnist train` does: load data, build the model, train, evaluate, write the metrics file and
/// fill the run folder (see <see cref="RunArtifacts"/>).
/// </summary>
public static class TrainingRun
{
    /// <param name="RunFolder">Where to keep the model, metrics, pictures and report; null keeps nothing.</param>
    public sealed record Options(string Model, TrainingSettings Settings, DataOptions Data, string? MetricsFile, string? RunFolder = null);

    /// <param name="log">The model's progress lines.</param>
    /// <param name="progress">The data fetcher's progress lines.</param>
    /// <param name="onStep">After every step: (steps done, total), for a progress bar.</param>
    public static TrainResult Execute(Options options, Action<string> log, Action<string>? progress = null, Action<int, int>? onStep = null)
    {
        var model = ModelCatalog.Get(options.Model);
        var data = model.LoadData(options.Settings, options.Data, progress);
        // Made once the data is good (a bad data folder leaves no empty run folder behind) but before
        // training, so an unwritable folder fails in a second rather than after the run.
        if (options.RunFolder is not null) Directory.CreateDirectory(options.RunFolder);
        var graph = model.Build(options.Settings);
        using var trained = new TrainedModel(model, options.Settings, graph,
            Devices.OpenSession(graph.Graph, options.Settings.Device, options.Settings.Threads));
        var metrics = new List<StepMetrics>();
        string? liveLog = options.RunFolder is null ? null : Path.Combine(options.RunFolder, MetricsLog.FileName);
        if (liveLog is not null) File.Delete(liveLog);
        var trainer = new Trainer(model, graph, trained.Session, data, options.Settings)
        {
            OnLog = log, OnStep = onStep,
            OnMetrics = m => { metrics.Add(m); if (liveLog is not null) MetricsLog.Append(liveLog, m); },
        };
        var result = trainer.Run();
        if (options.MetricsFile is not null) WriteMetrics(options.MetricsFile, result);
        if (options.RunFolder is not null) RunArtifacts.Write(options.RunFolder, trained, data, metrics, result);
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
            validation_seconds = r.ValidationSeconds,
            images_per_second = r.ImagesPerSecond,
        }, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.WriteAllText(path, json + "\n");
    }
}
