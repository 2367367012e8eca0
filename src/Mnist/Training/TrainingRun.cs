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
    public sealed record Options(string Model, TrainingSettings Settings, DataOptions Data, string? MetricsFile, string? RunFolder = null)
    {
        /// <summary>Steps between checkpoints in the run folder (and one at the end); 0 writes none.</summary>
        public int CheckpointEvery { get; init; } = 1000;
        /// <summary>How many of the newest checkpoints stay.</summary>
        public int KeepCheckpoints { get; init; } = 3;
        /// <summary>Go on from this checkpoint of the run folder (see <see cref="RunResume"/>).</summary>
        public (Checkpoint Checkpoint, string Path)? Resume { get; init; }
        /// <summary>Cancelled: finish the current step, checkpoint, fill the run folder and return a stopped result.</summary>
        public CancellationToken Stop { get; init; }
        /// <summary>Warning lines (a loss past 1e6).</summary>
        public Action<string>? Warn { get; init; }
    }

    /// <param name="log">The model's progress lines.</param>
    /// <param name="progress">The data fetcher's progress lines.</param>
    /// <param name="onStep">After every step: (steps done, total), for a progress bar.</param>
    public static TrainResult Execute(Options options, Action<string> log, Action<string>? progress = null, Action<int, int>? onStep = null)
    {
        var model = ModelCatalog.Get(options.Model);
        var data = model.LoadData(options.Settings, options.Data, progress);
        TrainingLimits.Check(model, options.Settings, data.Train.NumExamples);
        // The training set's size is known only now: LeNet's learning rate decays once per epoch of it.
        var graph = model.Build(options.Settings with { TrainSize = data.Train.NumExamples });
        // The thread count is part of what a resumed run must repeat to end bit-identical.
        int threads = options.Settings.Threads ?? Environment.ProcessorCount;
        using var trained = new TrainedModel(model, options.Settings, graph, Devices.OpenSession(graph.Graph, options.Settings.Device, threads));
        string? folder = options.RunFolder;
        using var events = folder is null ? null
            : RunEvents.Open(folder, graph.Graph, options.Settings.BatchSize, options.Resume?.Checkpoint, options.Warn);
        // metrics.jsonl grows a line per logged step while the run trains (the web app's runs page follows it),
        // starting from the checkpoint's log when resuming.
        string? liveLog = folder is null ? null : Path.Combine(folder, MetricsLog.FileName);
        if (liveLog is not null) MetricsLog.Write(liveLog, options.Resume?.Checkpoint.Metrics ?? []);
        var trainer = new Trainer(model, graph, trained.Session, data, options.Settings)
        {
            OnLog = log, OnStep = onStep, OnWarning = options.Warn, Stop = options.Stop,
            OnMetrics = liveLog is null ? null : m => { events!.Log(m); MetricsLog.Append(liveLog, m); },
            CheckpointEvery = folder is null ? 0 : options.CheckpointEvery,
            CheckpointSettings = Checkpoint.DescribeSettings(options.Settings, threads),
            OnCheckpoint = folder is null ? null : c =>
            {
                CheckpointFolder.Write(folder, c, options.KeepCheckpoints);
                // The log so far, so that a killed run's folder shows where it got to.
                MetricsLog.Write(Path.Combine(folder, MetricsLog.FileName), c.Metrics);
            },
        };
        var result = trainer.Run(options.Resume);
        if (options.MetricsFile is not null) WriteMetrics(options.MetricsFile, result, options.Settings);
        if (folder is not null)
        {
            RunArtifacts.Write(folder, trained, data, trainer.Metrics, result);
            events!.AddPictures(folder, result.Steps);
        }
        return result;
    }

    /// <summary>The --metrics file: the run's figures, with the data set and augmentation that say what they measure.</summary>
    public static void WriteMetrics(string path, TrainResult r, TrainingSettings settings)
    {
        var json = JsonSerializer.Serialize(new
        {
            model = r.Model,
            dataset = settings.DataSet,
            augment = settings.Augment,
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
