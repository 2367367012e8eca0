using System.Globalization;

namespace Mnist.Tests.Cli;

/// <summary>`mnist eval` measures a saved model and agrees with what training reported for it.</summary>
public sealed class EvalCliTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Fact]
    public void EvalReproducesTheTrainingRunsTestAccuracy()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.Stderr);
        var r = CliRunner.Run("eval", "--model", run.ModelFile);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("model: softmax", r.Stdout);
        Assert.Matches(@"per class: 0:0\.\d{3}( +\d:[01]\.\d{3}){9}", r.Stdout);
        Assert.Equal(TestAccuracy(run.Result.Stdout), TestAccuracy(r.Stdout));
    }

    [Fact]
    public void MissingModelFileIsOneCleanLine() =>
        CliRunner.AssertCleanError(CliRunner.Run("eval", "--model", run.Picture("absent.safetensors")), "absent.safetensors");

    private static double TestAccuracy(string stdout) => double.Parse(
        stdout.Split('\n').Single(l => l.StartsWith("test accuracy: "))["test accuracy: ".Length..], CultureInfo.InvariantCulture);
}
