using System.Diagnostics;
using Mnist.Tests.Data;

namespace Mnist.Tests.Cli;

/// <summary>A run stopped by SIGTERM exits through its exit handlers: no empty run folder or temporary is left behind.</summary>
public class SignalTests
{
    [Fact]
    public async Task SigtermDuringTrainingLeavesNoEmptyRunFolder()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("data").ExitCode);
        string run = dir.File("run");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Mnist.Cli.dll"), "train", "--model", "mlp", "--steps", "1000000", "--out", run })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        // Training has begun (the folder exists, nothing is in it yet) once the first step is logged.
        for (string? line = ""; line is not null && !line.StartsWith("step 0"); line = process.StandardOutput.ReadLine()) { }
        Assert.True(Directory.Exists(run));
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) kill.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the run did not stop on SIGTERM");
        Assert.Equal(128 + 15, process.ExitCode);
        Assert.False(Directory.Exists(run), $"SIGTERM left the empty run folder behind; stderr: {await stderr}");
    }
}
