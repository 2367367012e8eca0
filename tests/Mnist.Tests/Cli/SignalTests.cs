using System.Diagnostics;
using Mnist.Tests.Data;

namespace Mnist.Tests.Cli;

/// <summary>A run stopped by SIGINT (Ctrl+C) or SIGTERM leaves no empty run folder and no temporary behind.</summary>
public class SignalTests
{
    [Theory]
    [InlineData("INT", 2)]
    [InlineData("TERM", 15)]
    public async Task SignalDuringTrainingLeavesNoEmptyRunFolder(string signal, int number)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("data").ExitCode);
        string run = dir.File("run");
        using var process = Process.Start(CliRunner.StartInfo(new Dictionary<string, string?>(), "train", "--model", "mlp", "--steps", "1000000", "--out", run))!;
        var stderr = process.StandardError.ReadToEndAsync();
        // Training has begun (the folder exists, nothing is in it yet) once the first step is logged.
        for (string? line = ""; line is not null && !line.StartsWith("step 0"); line = process.StandardOutput.ReadLine()) { }
        Assert.True(Directory.Exists(run));
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()])) kill.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"the run did not stop on SIG{signal}");
        Assert.Equal(128 + number, process.ExitCode);
        // A stopped run keeps its checkpoint to resume from, or nothing: never an empty folder or a write's temporary.
        Assert.True(!Directory.Exists(run) || (Directory.EnumerateFileSystemEntries(run).Any() && !Directory.EnumerateFiles(run, ".*.tmp").Any()),
            $"SIG{signal} left an empty run folder or a temporary behind; stderr: {await stderr}");
    }
}
