namespace Mnist.Tests.Cli;

/// <summary>`--device` on the verbs that run a model: the registered names run, any other is one clean error line.</summary>
public sealed class DeviceCliTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Theory]
    [InlineData("train")]
    [InlineData("bench")]
    public void AnUnknownDeviceIsOneCleanLine(string verb) =>
        CliRunner.AssertCleanError(CliRunner.Run(verb, "--device", "tpu"), "--device: must be one of cpu, got \"tpu\"");

    [Fact]
    public void ModelVerbsTakeTheDevice()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.Stderr);
        var eval = CliRunner.Run("eval", "--model", run.ModelFile, "--device", "cpu");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("test accuracy: ", eval.Stdout);
        CliRunner.AssertCleanError(CliRunner.Run("eval", "--model", run.ModelFile, "--device", "gpu"), "--device: must be one of cpu");
        CliRunner.AssertCleanError(CliRunner.Run("show", "predictions", "--model", run.ModelFile, "--device", "gpu"), "--device: must be one of cpu");
    }
}
