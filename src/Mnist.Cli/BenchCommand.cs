using System.CommandLine;
using Mnist.Bench;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Cli;

/// <summary>`mnist bench`: times each model's training loop after a warm-up.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = $"Only this model ({string.Join(", ", ModelCatalog.Names)}); default all" };
        var batch = CommonOptions.Positive("--batch-size", "Batch size (default: each model's recipe)");
        var steps = CommonOptions.Positive("--steps", "Timed steps (default: 1000 for softmax, 100 otherwise)");
        var threads = CommonOptions.Threads();
        var data = new CommonOptions.Data();
        var profile = new Option<bool>("--profile") { Description = "Also print where the time goes, per op type" };
        var command = new Command("bench", "Time the training loop of each model") { model, batch, steps, threads, profile };
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            var models = p.GetValue(model) is string name ? [ModelCatalog.Get(name)] : ModelCatalog.All;
            var train = data.Read(p).Load(PixelScaling.ZeroToOne, 0, s => Console.Error.WriteLine(s)).Train;
            int t = p.GetValue(threads) ?? Environment.ProcessorCount;
            Console.WriteLine($"{"model",-8} {"batch",5} {"threads",7} {"steps",6} {"seconds",8} {"steps/s",9} {"images/s",10} {"GFLOP/s",8} {"alloc/step",10}");
            foreach (var m in models)
            {
                int b = p.GetValue(batch) ?? m.DefaultSettings.BatchSize;
                int n = p.GetValue(steps) ?? (m is SoftmaxRegression ? 1000 : 100);
                var r = TrainingBench.Run(m, train, b, n, t, p.GetValue(profile));
                Console.WriteLine($"{r.Model,-8} {r.BatchSize,5} {r.Threads,7} {r.Steps,6} {r.Seconds,8:F3} {r.StepsPerSecond,9:F1} {r.ImagesPerSecond,10:F0} {r.GFlopsPerSecond,8:F1} {r.AllocatedBytesPerStep,9}B");
                if (r.Profile is { } prof)
                    foreach (var (type, secs, calls) in prof.ByType())
                        Console.WriteLine($"    {type,-36} {secs * 1e3 / r.Steps,8:F3} ms/step  {100 * secs / prof.TotalSeconds,5:F1}%  ({calls / r.Steps} per step)");
            }
            return 0;
        }));
        return command;
    }
}
