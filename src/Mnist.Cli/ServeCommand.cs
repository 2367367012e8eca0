using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using Mnist.Data;
using Mnist.Models;
using Mnist.Web;

namespace Mnist.Cli;

/// <summary>`mnist serve`: the web app (draw a digit, runs and their curves, the projector) until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var runs = new Option<string?>("--runs") { Description = "Folder of training runs to list and serve (default: runs)" };
        var model = new Option<string?>("--model") { Description = "A model file to serve (the default model when given)" };
        var host = new Option<string>("--host")
        {
            Description = "Address to bind; the default answers this machine only, 0.0.0.0 answers every network",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = NumberOptions.Integer("--port", "TCP port (default 5000; 0: any free one)", min: 0, max: 65535);
        var data = new CommonOptions.Data();
        var command = new Command("serve", "Serve the web app: draw a digit and see the model's guess, browse runs, the projector") { runs, model, host, port };
        data.AddTo(command);
        command.SetAction((p, token) => Task.FromResult(CliErrors.Guard(() =>
        {
            string? modelFile = p.GetValue(model);
            if (modelFile is not null) _ = ModelFile.Load(modelFile);   // a bad file fails now, not on the first request
            string? runsFolder = p.GetValue(runs);
            if (runsFolder is not null && !Directory.Exists(runsFolder)) throw new ArgumentException($"--runs: folder {runsFolder} does not exist");
            runsFolder ??= Directory.Exists("runs") ? "runs" : null;
            var address = ParseHost(p.GetValue(host)!);
            var dataOptions = data.Read(p);
            // Each data set's test images are loaded once, when a page first needs them.
            var tests = new ConcurrentDictionary<string, Lazy<DataSet>>(StringComparer.Ordinal);
            DataSet Test(string dataSet) => tests.GetOrAdd(dataSet, name => new Lazy<DataSet>(() =>
                dataOptions.OrDataSet(name).Load(PixelScaling.ZeroToOne, 0, s => Console.Error.WriteLine(s)).Test)).Value;
            var options = new ServeOptions(runsFolder, modelFile, address, p.GetValue(port) ?? 5000, Test);
            return Serve(options, token).GetAwaiter().GetResult();
        })));
        return command;
    }

    private static async Task<int> Serve(ServeOptions options, CancellationToken token)
    {
        await using var server = await WebServer.StartAsync(options);
        Console.WriteLine($"serving on {server.Url}");
        Console.WriteLine(IPAddress.IsLoopback(options.Host)
            ? "bound to loopback: only this machine can connect (--host 0.0.0.0 to listen on every network)"
            : $"bound to {options.Host}: other machines can connect");
        Console.WriteLine("press Ctrl+C to stop");
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
        }
        Console.WriteLine("stopped");
        return 0;
    }

    private static IPAddress ParseHost(string host) =>
        host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address
        : throw new ArgumentException($"--host: \"{host}\" is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)");
}
