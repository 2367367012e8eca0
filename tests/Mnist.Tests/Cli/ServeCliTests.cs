using System.Diagnostics;
using System.Net.Http.Json;

namespace Mnist.Tests.Cli;

/// <summary>`mnist serve` as a user runs it: binds loopback and says so, answers, stops on Ctrl+C with exit 0; bad options are one line.</summary>
public sealed class ServeCliTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Fact]
    public async Task ServesOnLoopbackUntilCtrlCAndExitsZero()
    {
        Assert.Equal(0, run.Result.ExitCode);
        using var process = Process.Start(CliRunner.StartInfo(new Dictionary<string, string?>(), "serve", "--model", run.ModelFile, "--port", "0"))!;
        try
        {
            string first = (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)))!;
            Assert.StartsWith("serving on http://127.0.0.1:", first);
            Assert.StartsWith("bound to loopback", await process.StandardOutput.ReadLineAsync());
            using var http = new HttpClient { BaseAddress = new Uri(first["serving on ".Length..]) };
            var models = await http.GetFromJsonAsync<List<Dictionary<string, object>>>("/api/models");
            Assert.Equal("model", Assert.Single(models!)["id"].ToString());

            // Ctrl+C is SIGINT to the process.
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "serve did not stop on SIGINT");
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("stopped", await process.StandardOutput.ReadToEndAsync());
            Assert.Equal("", await process.StandardError.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited) process.Kill(true);
        }
    }

    [Theory]
    [InlineData("--host", "example.org", "--host: \"example.org\" is not an IP address")]
    [InlineData("--port", "70000", "--port: must be an integer from 0 to 65535, got 70000")]
    [InlineData("--port", "S8g", "--port: 'S8g' is not an integer")]
    [InlineData("--runs", "/no/such/runs", "--runs: folder /no/such/runs does not exist")]
    [InlineData("--model", "/no/such/model.safetensors", "/no/such/model.safetensors")]
    public void BadOptionIsOneLine(string option, string value, string message) =>
        CliRunner.AssertCleanError(CliRunner.Run("serve", option, value), message);
}
