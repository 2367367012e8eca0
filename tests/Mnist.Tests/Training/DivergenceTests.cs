using Mnist.Tests.Cli;
using Mnist.Tests.Data;

namespace Mnist.Tests.Training;

/// <summary>A loss that turns NaN stops the run with one error line and no model file; a huge loss is warned about once.</summary>
public class DivergenceTests
{
    [Fact]
    public void NaNLossStopsWithTheStepRateAndLastCheckpoint()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        // At 1e38 the first update overflows the weights to ±Inf, so the second step's loss is NaN.
        var r = CliRunner.Run("train", "--learning-rate", "1e38", "--checkpoint-every", "1", "--out", run);
        CliRunner.AssertCleanError(r, "error: loss is NaN at step 1 (learning rate 1E+38); the last checkpoint is step 1");
        Assert.Equal(1, r.ExitCode);
        Assert.False(File.Exists(RunFiles.ModelPath(run)));
        Assert.DoesNotContain("test accuracy", r.Stdout);
    }

    [Fact]
    public void LossPastAMillionIsWarnedAboutOnce()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run("train", "--learning-rate", "1e30", "--steps", "30", "--out", dir.File("run"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var warning = Assert.Single(r.Stderr.Split('\n'), l => l.StartsWith("warning: loss"));
        Assert.Matches(@"^warning: loss \S+ at step \d+ is past 1e6 \(learning rate 1E\+30\); the run goes on$", warning);
    }
}
