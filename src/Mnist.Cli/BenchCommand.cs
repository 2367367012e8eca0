using System.CommandLine;
using System.Diagnostics;
using Flow.Backends.Cpu;
using Mnist.Bench;
using Mnist.Data;
using Mnist.Models;
using Mnist.Predict;

namespace Mnist.Cli;

/// <summary>`mnist bench`: measures the processor's FMA peak, then times each model's training loop.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = CommonOptions.OptionalModel($"Only this model ({string.Join(", ", ModelCatalog.Names)}); default all");
        var batch = CommonOptions.Positive("--batch-size", "Batch size (default: each model's recipe)");
        var table = new Option<bool>("--table") { Description = "Run batch sizes 1, 50 and 256 for each model" };
        var steps = CommonOptions.Positive("--steps", "Timed steps (default: 1000 for softmax, 100 otherwise)");
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var profile = new Option<bool>("--profile") { Description = "Also print where the time goes, per op type (per step, or per call with --latency)" };
        var latency = new Option<bool>("--latency") { Description = "Time single-image inference (batch 1, as predict and serve run it) instead of training: p50/p99 over --calls" };
        var calls = CommonOptions.Positive("--calls", "Timed single-image calls with --latency (default 1000)");
        var convs = new Option<bool>("--convs") { Description = "Time each convolution of the models alone (forward, filter and input gradients) in GFLOP/s at the recipe's batch size or --batch-size" };
        var augment = new SwitchOption("--augment", "Distort the training batches as `train --augment` does (default: the recipe's)");
        var data = new CommonOptions.Data();
        var command = new Command("bench", "Time the training loop of each model against the processor's peak") { model, batch, table, steps, threads, device, profile, latency, calls, convs, augment.Option };
        command.Exclusive(batch, table);
        command.Exclusive(latency, batch);
        command.Exclusive(latency, table);
        command.Exclusive(latency, augment.Option);
        command.Exclusive(convs, latency);
        command.Exclusive(convs, table);
        command.Exclusive(convs, augment.Option);
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            var models = p.GetValue(model) is string name ? [ModelCatalog.Get(name)] : ModelCatalog.All;
            var sets = data.Read(p).Load(PixelScaling.ZeroToOne, 0, s => Console.Error.WriteLine(s));
            int t = p.GetValue(threads) ?? Environment.ProcessorCount;
            if (p.GetValue(latency)) return PrintLatency(models, sets.Test, p.GetValue(calls) ?? 1000, t, p.GetValue(device), p.GetValue(profile));
            double peak;
            using (var pool = new WorkerPool(t)) peak = FmaPeak.Measure(pool);
            Console.WriteLine($"processor FMA peak: {peak:F0} GFLOP/s fp32 on {t} thread(s)");
            if (p.GetValue(convs)) return PrintConvs(models, p.GetValue(batch), t, p.GetValue(device), peak);
            Console.WriteLine($"{"model",-8} {"batch",5} {"steps",6} {"seconds",8} {"steps/s",9} {"images/s",10} {"MFLOP/img",9} {"GFLOP/s",8} {"%peak",6} {"alloc/step",10} {"peak RSS",9} {"test eval",9}");
            foreach (var m in models)
                foreach (int b in p.GetValue(table) ? new[] { 1, 50, 256 } : [p.GetValue(batch) ?? m.DefaultSettings.BatchSize])
                {
                    int n = p.GetValue(steps) ?? (m is SoftmaxRegression ? 1000 : 100);
                    var r = TrainingBench.Run(m, sets.Train, b, n, t, p.GetValue(profile), test: sets.Test, device: p.GetValue(device), augment: augment.Read(p));
                    long rss = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
                    Console.WriteLine($"{r.Model,-8} {r.BatchSize,5} {r.Steps,6} {r.Seconds,8:F3} {r.StepsPerSecond,9:F1} {r.ImagesPerSecond,10:F0} " +
                        $"{m.TrainFlopsPerImage / 1e6,9:F2} {r.GFlopsPerSecond,8:F1} {100 * r.GFlopsPerSecond / peak,5:F1}% {r.AllocatedBytesPerStep,9}B {rss,6} MB {r.EvalSeconds,8:F2}s");
                    if (r.AugmentMsPerStep is double ms)
                        Console.WriteLine($"    augmentation {ms,8:F3} ms/step  {100 * ms * r.StepsPerSecond / 1e3,5:F1}% of the step's {1e3 / r.StepsPerSecond:F3} ms");
                    if (r.Profile is { } prof) PrintProfile(prof, r.Steps);
                }
            return 0;
        }));
        return command;
    }

    private static int PrintLatency(IEnumerable<MnistModel> models, DataSet test, int calls, int threads, string? device, bool profile)
    {
        var image = new float[MnistPreprocessor.Side * MnistPreprocessor.Side];
        test.GatherImages(0, 1, image);   // test image 0 in [0, 1], as predict's preprocessing leaves a picture
        Console.WriteLine($"single-image inference (batch 1) on {threads} thread(s), {calls} calls after warm-up");
        Console.WriteLine($"{"model",-8} {"p50 ms",8} {"p99 ms",8} {"mean ms",8} {"max ms",8} {"images/s",9}");
        foreach (var m in models)
        {
            var r = LatencyBench.Run(m, image, calls, threads, device, profile);
            Console.WriteLine($"{r.Model,-8} {r.P50Ms,8:F3} {r.P99Ms,8:F3} {r.MeanMs,8:F3} {r.MaxMs,8:F3} {1e3 / r.MeanMs,9:F0}");
            if (r.Profile is { } prof) PrintProfile(prof, r.Calls, "call");
        }
        return 0;
    }

    private static int PrintConvs(IEnumerable<MnistModel> models, int? batch, int threads, string? device, double peak)
    {
        Console.WriteLine($"{"model",-8} {"layer",-16} {"input",-18} {"filter",-15} {"stride",6} {"pad",5} {"MFLOP",8} {"fwd",7} {"dfilter",7} {"dinput",7}  GFLOP/s ({"%",1} of peak: fwd)");
        foreach (var m in models)
            foreach (var r in ConvBench.Run(m, batch ?? m.DefaultSettings.BatchSize, threads, device))
                Console.WriteLine($"{r.Model,-8} {r.Layer,-16} {r.Input,-18} {r.Filter,-15} {r.Stride,6} {r.Padding,5} {r.MFlops,8:F1} " +
                    $"{r.ForwardGFlops,7:F1} {r.FilterGFlops,7:F1} {r.InputGFlops,7:F1}  {100 * r.ForwardGFlops / peak,5:F1}%");
        return 0;
    }

    private static void PrintProfile(Flow.OpProfile profile, int steps, string per = "step")
    {
        foreach (var (type, secs, calls) in profile.ByType())
            Console.WriteLine($"    {type,-36} {secs * 1e3 / steps,8:F3} ms/{per}  {100 * secs / profile.TotalSeconds,5:F1}%  ({calls / steps} per {per})");
    }
}
