using System.Text.Json;
using Mnist.Tests.Cli;
using Mnist.Tests.Data;
using Mnist.Training;

namespace Mnist.Tests.Training;

/// <summary>
/// `mnist train --resume`: a run killed with SIGKILL mid-run and resumed ends with the very model file
/// (SHA-256) and the same logged metrics as the same run left alone.
/// </summary>
public class ResumeTests
{
    /// <summary>Model, recipe, checkpoint interval, and how many learning rates the run goes through.</summary>
    public static TheoryData<string, string[], int, int> Runs => new()
    {
        { "softmax", ["--steps", "3000"], 500, 1 },
        // Dropout's stream and Adam's moments and powers must all come back.
        { "deep", ["--steps", "200", "--batch-size", "10"], 50, 1 },
        // Augmentation draws from (seed, step, row) alone: the resumed part distorts exactly as the whole run did.
        { "deep", ["--steps", "200", "--batch-size", "10", "--augment"], 50, 1 },
        // Momentum's accumulators, dropout's stream and the in-order batch position must come back on real data.
        { "lenet", ["--steps", "30"], 10, 1 },
        // And the epoch-decayed rate (0.01·0.95^epoch, staircase): the self-test's epoch is 256 images, 4 steps,
        // so the run is killed past its first decay (at or after the step-6 checkpoint) and the resumed part
        // decays again; the rate comes from the restored global step.
        { "lenet", ["--self-test", "--steps", "20"], 6, 5 },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void KilledRunResumesToTheSameModelFile(string model, string[] recipe, int every, int rates)
    {
        using var dir = new TempDirectory();
        string whole = dir.File("whole"), killed = dir.File("killed");
        string[] Args(string folder) =>
            ["train", "--model", model, .. recipe, "--threads", "2", "--checkpoint-every", every.ToString(), "--out", folder];

        var reference = CliRunner.Run(Args(whole));
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        Assert.Equal(rates, LearningRates(whole).Distinct().Count());

        using (var child = new ChildRun(Args(killed)))
        {
            child.WaitUntil(() => CheckpointFolder.List(killed).Count > 0, "a first checkpoint");
            child.Signal(ChildRun.SigKill);
            Assert.Equal(128 + ChildRun.SigKill, child.WaitForExit().ExitCode);
        }
        Assert.False(File.Exists(RunFiles.ModelPath(killed)), "the run was killed only after it had finished");

        var resumed = CliRunner.Run("train", "--resume", killed);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Matches(@"resuming \w+ from .*checkpoint-\d{8}\.safetensors \(step \d+\)", resumed.Stdout);
        Assert.Equal(RunFiles.ModelSha256(whole), RunFiles.ModelSha256(killed));
        Assert.Equal(RunFiles.MetricsWithoutTime(whole), RunFiles.MetricsWithoutTime(killed));
        // The resumed run dropped the killed one's events past its checkpoint: each logged step once.
        EventFileTests.AssertEventsMatchMetrics(killed);
    }

    private static double[] LearningRates(string folder) => File.ReadAllLines(Path.Combine(folder, MetricsLog.FileName))
        .Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.GetProperty("learning_rate").GetDouble();
        })
        .ToArray();

    [Fact]
    public void TruncatedNewestCheckpointIsReportedAndThePreviousOneUsed()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        var first = CliRunner.Run("train", "--steps", "300", "--checkpoint-every", "100", "--out", run);
        Assert.True(first.ExitCode == 0, first.Stderr);
        string expected = RunFiles.ModelSha256(run);
        File.Delete(RunFiles.ModelPath(run));
        string newest = CheckpointFolder.PathFor(run, 300);
        var bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes[..(bytes.Length / 2)]);

        var resumed = CliRunner.Run("train", "--resume", run);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var warning = Assert.Single(resumed.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warning: skipping unreadable model file", warning);
        Assert.Contains("checkpoint-00000300.safetensors", warning);
        Assert.EndsWith("using checkpoint-00000200.safetensors", warning);
        Assert.Contains("(step 200)", resumed.Stdout);
        Assert.Equal(expected, RunFiles.ModelSha256(run));
    }

    [Fact]
    public void OnlyTheNewestCheckpointsAreKept()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        var r = CliRunner.Run("train", "--steps", "500", "--checkpoint-every", "100", "--keep-checkpoints", "2", "--out", run);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal([500, 400], CheckpointFolder.List(run).Select(c => c.Step));
        var none = CliRunner.Run("train", "--steps", "50", "--checkpoint-every", "0", "--out", dir.File("none"));
        Assert.True(none.ExitCode == 0, none.Stderr);
        Assert.Empty(CheckpointFolder.List(dir.File("none")));
    }

    [Fact]
    public void BadResumeGivesOneErrorLine()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        Assert.Equal(0, CliRunner.Run("train", "--steps", "20", "--checkpoint-every", "10", "--out", run).ExitCode);
        Directory.CreateDirectory(dir.File("empty"));

        CliRunner.AssertCleanError(CliRunner.Run("train", "--resume", dir.File("missing")), "no such folder");
        CliRunner.AssertCleanError(CliRunner.Run("train", "--resume", dir.File("empty")), "not a run folder with checkpoints");
        CliRunner.AssertCleanError(CliRunner.Run("train", "--resume", run, "--model", "deep"), "is a softmax run, not --model deep");
        CliRunner.AssertCleanError(CliRunner.Run("train", "--resume", run, "--steps", "40"), "--steps cannot be changed");
        CliRunner.AssertCleanError(CliRunner.Run("train", "--resume", run, "--augment"), "--augment cannot be changed");
        CliRunner.AssertCleanError(CliRunner.Run("train", "--checkpoint-every", "-1"), "--checkpoint-every: must be an integer from 0");
        foreach (var (_, path) in CheckpointFolder.List(run)) File.WriteAllText(path, "not a checkpoint");
        var corrupt = CliRunner.Run("train", "--resume", run);
        CliRunner.AssertCleanError(corrupt, "none of its 2 checkpoint(s) reads back");
        Assert.Single(corrupt.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
    }
}
