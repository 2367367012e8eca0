using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Mnist.Data;

namespace Mnist.Web;

/// <summary>Requests per second and latency percentiles of single-image predictions, on a real loopback server.</summary>
public sealed record ServeBenchResult(int Clients, int Requests, double Seconds, double RequestsPerSecond, double P50Ms, double P99Ms, double MaxMs);

public static class ServeBench
{
    /// <summary>
    /// Starts the server with <paramref name="modelFile"/>, sends one warm-up request (the model loads), then
    /// <paramref name="requests"/> predictions of test images (JSON pixels) from <paramref name="clients"/>
    /// concurrent clients, each timing its own requests from send to the last byte of the answer.
    /// </summary>
    public static async Task<ServeBenchResult> RunAsync(string modelFile, DataSet test, int clients, int requests)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clients);
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, clients);
        await using var server = await WebServer.StartAsync(new ServeOptions(null, modelFile, IPAddress.Loopback, 0, _ => test));
        using var http = new HttpClient { BaseAddress = server.Url };
        var bodies = Enumerable.Range(0, 100).Select(i =>
        {
            var pixels = new float[MnistLayout.ImagePixels];
            test.GatherImages(i % test.NumExamples, 1, pixels);
            return new { pixels };
        }).ToArray();
        (await http.PostAsJsonAsync("/api/predict", bodies[0])).EnsureSuccessStatusCode();

        var latencies = new double[requests];
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < requests;)
            {
                long start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/api/predict", bodies[i % bodies.Length]);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new ServeBenchResult(clients, requests, seconds, requests / seconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1]);
    }

    // Nearest-rank percentile of sorted values.
    private static double Percentile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
