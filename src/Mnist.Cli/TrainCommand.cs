using System.CommandLine;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Cli;

/// <summary>
/// `mnist train`: trains one of the tutorials' models with its recipe, reports test accuracy and
/// leaves the model, metrics, pictures and report in a run folder.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model("softmax");
        var steps = CommonOptions.Positive("--steps", "Training steps (default: the model's recipe)");
        var batch = CommonOptions.Positive("--batch-size", "Examples per step (default: the model's recipe)");
        var rate = NumberOptions.PositiveReal("--learning-rate", "Learning rate (default: the model's recipe)");
        var seed = NumberOptions.Integer("--seed", "Seed for initial weights, shuffling and dropout (default: the recipe's: 1, lenet 66478)");
        var data = new CommonOptions.Data();
        var metrics = new Option<string?>("--metrics") { Description = "Write a JSON summary of the run to this file" };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var epochs = NumberOptions.PositiveReal("--epochs", "Epochs to train, fractions allowed (recipes counted in epochs, e.g. lenet)");
        var selfTest = new Option<bool>("--self-test") { Description = "lenet: train on 256 fake images, one epoch unless --steps is given (must reach 0% test error)" };
        var logEvery = LogEveryOption.Create();
        var output = new Option<string?>("--out") { Description = "Run folder for the model, metrics, pictures and report (default: runs/<model>-<yyyyMMdd-HHmmss>)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Let --out name a folder that already holds files (they are replaced)" };
        var augment = new SwitchOption("--augment", "Distort each training image at random: shift ±2 px, rotation ±10°, scale 0.9–1.1 (default: the recipe's)");
        var weightDecay = NumberOptions.NonNegativeReal("--weight-decay",
            "AdamW's decoupled weight decay: each step every weight matrix and filter shrinks by learning rate × this (deep, mlp, best; default: the recipe's, 0.01 for best, else 0)");
        var command = new Command("train", "Train a model, print its test accuracy and keep a run folder")
            { model, steps, epochs, batch, rate, seed, metrics, threads, device, selfTest, logEvery, output, overwrite, augment.Option, weightDecay };
        data.AddTo(command);
        var checkpoints = new CheckpointOptions();
        checkpoints.AddTo(command);
        command.Exclusive(steps, epochs).Exclusive(epochs, selfTest)
            .OnlyWhen(selfTest, model, ["lenet"], unless: checkpoints.ResumeOption)
            .OnlyWhen(weightDecay, model, ModelCatalog.WithWeightDecay, unless: checkpoints.ResumeOption).Requires(overwrite, output);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            using var stop = new StopSignals();
            if (checkpoints.ResumeFolder(p) is string resumed)
            {
                var (run, runSettings, from) = checkpoints.Resume(p, resumed, model,
                    [steps, epochs, batch, rate, seed, threads, device, selfTest, logEvery, output, augment.Option, weightDecay], line => Console.Error.WriteLine(line));
                var runData = data.Read(p);
                if (runData.DataSet is string asked && asked != runSettings.DataSet)
                    throw new ArgumentException($"--resume {resumed} is a run on {runSettings.DataSet}, not --dataset {asked}");
                Console.WriteLine($"resuming {run.Name} from {from.Item2} (step {from.Item1.Step})");
                return Train(p, run, runSettings, runData.OrDataSet(runSettings.DataSet), resumed, from, stop);
            }
            var m = ModelCatalog.Get(p.GetValue(model)!);
            var d = m.DefaultSettings;
            var dataOptions = data.Read(p);
            var settings = LogEveryOption.Apply(d, p.GetValue(logEvery)) with
            {
                Steps = p.GetValue(steps) ?? d.Steps,
                // An explicit --steps wins over the recipe's epochs; --epochs over the recipe's steps.
                Epochs = p.GetValue(epochs) ?? (p.GetValue(steps) is null ? d.Epochs : null),
                SelfTest = p.GetValue(selfTest),
                BatchSize = p.GetValue(batch) ?? d.BatchSize,
                LearningRate = p.GetValue(rate) ?? d.LearningRate,
                Seed = p.GetValue(seed) ?? d.Seed,
                Threads = p.GetValue(threads),
                DataSet = dataOptions.Known.Name,
                Device = p.GetValue(device)!,
                Augment = augment.Read(p) ?? d.Augment,
                WeightDecay = p.GetValue(weightDecay) ?? d.WeightDecay,
            };
            // Every output is checked before training, so a bad path fails in a second, not after the run.
            if (p.GetValue(metrics) is string metricsFile) OutputPaths.CheckWritable("--metrics", metricsFile);
            using var folder = RunFolder.Create(p.GetValue(output), m.Name, DateTime.Now, p.GetValue(overwrite));
            OutputPaths.CheckWritable("--out", Path.Combine(folder.Path, RunArtifacts.ModelFileName));
            return Train(p, m, settings, dataOptions, folder.Path, null, stop);
        }));
        return command;

        int Train(ParseResult p, MnistModel m, TrainingSettings settings, Mnist.Data.DataOptions dataOptions, string folder,
            (Checkpoint, string)? from, StopSignals stop)
        {
            Console.WriteLine($"training {m.Name}: {m.Description}");
            Console.WriteLine($"settings: {string.Join(", ", settings.Describe().Select(kv => $"{kv.Key}={kv.Value}"))}");
            var result = ConsoleProgress.Bar($"training {m.Name}", c =>
                TrainingRun.Execute(checkpoints.Apply(p, new(m.Name, settings, dataOptions, p.GetValue(metrics), folder)
                    { Resume = from, Stop = stop.Token, Warn = c.Note }), c.Log, c.Note, c.Step));
            if (result.Stopped)
            {
                Console.WriteLine($"stopped at step {result.Steps}; resume with: mnist train --resume {folder}");
                return stop.ExitCode;
            }
            Console.WriteLine($"trained {result.Steps} steps in {result.TrainSeconds:F2} s ({result.ImagesPerSecond:F0} images/s)");
            Console.WriteLine($"run folder: {folder}");
            Console.WriteLine($"validation accuracy: {result.ValidationAccuracy:F4}");
            Console.WriteLine($"test accuracy: {result.TestAccuracy:F4}");
            foreach (var line in m.FormatResult(result)) Console.WriteLine(line);
            return 0;
        }
    }
}
