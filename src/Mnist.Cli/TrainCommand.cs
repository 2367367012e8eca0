using System.CommandLine;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Cli;

/// <summary>`mnist train`: trains one of the tutorials' models with its recipe and reports test accuracy.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model("softmax");
        var steps = CommonOptions.Positive("--steps", "Training steps (default: the model's recipe)");
        var batch = CommonOptions.Positive("--batch-size", "Examples per step (default: the model's recipe)");
        var rate = new Option<double?>("--learning-rate") { Description = "Learning rate (default: the model's recipe)" };
        rate.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is double v && !(v > 0)) r.AddError($"--learning-rate must be positive, got {v}"); });
        var seed = new Option<int>("--seed") { Description = "Seed for initial weights, shuffling and dropout", DefaultValueFactory = _ => 0 };
        var data = new CommonOptions.Data();
        var metrics = new Option<string?>("--metrics") { Description = "Write a JSON summary of the run to this file" };
        var threads = CommonOptions.Threads();
        var command = new Command("train", "Train a model and print its test accuracy") { model, steps, batch, rate, seed, metrics, threads };
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            var m = ModelCatalog.Get(p.GetValue(model)!);
            var d = m.DefaultSettings;
            var settings = d with
            {
                Steps = p.GetValue(steps) ?? d.Steps,
                BatchSize = p.GetValue(batch) ?? d.BatchSize,
                LearningRate = p.GetValue(rate) ?? d.LearningRate,
                Seed = p.GetValue(seed),
                Threads = p.GetValue(threads),
            };
            Console.WriteLine($"training {m.Name}: {m.Description}");
            Console.WriteLine($"settings: {string.Join(", ", settings.Describe().Select(kv => $"{kv.Key}={kv.Value}"))}");
            var result = TrainingRun.Execute(new(m.Name, settings, data.Read(p), p.GetValue(metrics)),
                Console.WriteLine, s => Console.Error.WriteLine(s));
            Console.WriteLine($"trained {result.Steps} steps in {result.TrainSeconds:F2} s ({result.ImagesPerSecond:F0} images/s)");
            Console.WriteLine($"validation accuracy: {result.ValidationAccuracy:F4}");
            Console.WriteLine($"test accuracy: {result.TestAccuracy:F4}");
            return 0;
        }));
        return command;
    }
}
