using Mnist.Tests.Cli;
using Mnist.Tests.Data;
using Mnist.Training;

namespace Mnist.Tests.Training;

/// <summary>Ctrl+C and SIGTERM to a real training process: the step finishes, a checkpoint and the run folder are written, exit 130/143.</summary>
public class StopTests
{
    [Theory]
    [InlineData(ChildRun.SigInt, 130)]
    [InlineData(ChildRun.SigTerm, 143)]
    public void SignalStopsWithACheckpointAndTheResumeCommand(int signal, int exitCode)
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        string[] recipe = ["train", "--steps", "5000", "--threads", "2", "--checkpoint-every", "500"];
        CliRunner.Result stopped;
        using (var child = new ChildRun([.. recipe, "--out", run]))
        {
            child.WaitUntil(() => CheckpointFolder.List(run).Count > 0, "a first checkpoint");
            child.Signal(signal);
            stopped = child.WaitForExit();
        }
        Assert.True(stopped.ExitCode == exitCode, $"exit {stopped.ExitCode}: {stopped.Stderr}");
        var last = stopped.Stdout.TrimEnd().Split('\n')[^1];
        var match = System.Text.RegularExpressions.Regex.Match(last, @"^stopped at step (\d+); resume with: mnist train --resume (.+)$");
        Assert.True(match.Success, last);
        Assert.Equal(run, match.Groups[2].Value);
        int step = int.Parse(match.Groups[1].Value);
        Assert.InRange(step, 500, 4999);
        Assert.Equal(step, CheckpointFolder.List(run)[0].Step);
        foreach (var file in new[] { "report.html", "confusion_matrix.png", "predictions.png", MetricsLog.FileName })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        if (signal != ChildRun.SigInt) return;

        var resumed = CliRunner.Run("train", "--resume", run);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var whole = CliRunner.Run([.. recipe, "--out", dir.File("whole")]);
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        Assert.Equal(RunFiles.ModelSha256(dir.File("whole")), RunFiles.ModelSha256(run));
    }
}
