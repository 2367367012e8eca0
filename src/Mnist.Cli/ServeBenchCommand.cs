using System.CommandLine;
using Mnist.Data;
using Mnist.Models;
using Mnist.Web;

namespace Mnist.Cli;

/// <summary>`mnist serve-bench --model FILE`: requests/s and p50/p99 latency of `mnist serve`'s predictions.</summary>
internal static class ServeBenchCommand
{
    public static Command Create()
    {
        var model = ShowCommand.ModelOption();
        var requests = CommonOptions.Positive("--requests", "Predictions per client count (default 2000)");
        var clients = new Option<string>("--clients") { Description = "Concurrent clients, comma-separated (default 1,8)", DefaultValueFactory = _ => "1,8" };
        var data = new CommonOptions.Data();
        var command = new Command("serve-bench", "Time single-image predictions through the web server on loopback") { model, requests, clients };
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            string file = p.GetValue(model)!;
            _ = ModelFile.Load(file);
            int[] counts = ParseClients(p.GetValue(clients)!);
            int n = p.GetValue(requests) ?? 2000;
            var test = data.Read(p).Load(PixelScaling.ZeroToOne, 0, s => Console.Error.WriteLine(s)).Test;
            Console.WriteLine($"{"clients",7} {"requests",8} {"seconds",8} {"requests/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
            foreach (int c in counts)
            {
                var r = ServeBench.RunAsync(file, test, c, Math.Max(n, c)).GetAwaiter().GetResult();
                Console.WriteLine($"{r.Clients,7} {r.Requests,8} {r.Seconds,8:F2} {r.RequestsPerSecond,10:F0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.MaxMs,8:F2}");
            }
            return 0;
        }));
        return command;
    }

    private static int[] ParseClients(string text) =>
        text.Split(',').Select(s => int.TryParse(s, out int v) && v > 0 ? v
            : throw new ArgumentException($"--clients: \"{s}\" is not a positive integer (e.g. --clients 1,8)")).ToArray();
}
