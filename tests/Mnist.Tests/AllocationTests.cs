using System.Text.RegularExpressions;
using Mnist.Tests.Cli;

namespace Mnist.Tests;

/// <summary>
/// Steady-state training allocates no managed memory per step: plans, buffers and feeds are reused.
/// Measured by `mnist bench` in its own process, because the allocation count is process-wide and the
/// test host's own threads allocate while a test runs.
/// </summary>
public class AllocationTests
{
    [Theory]
    [InlineData("softmax", 1000)]
    [InlineData("mlp", 300)]
    [InlineData("deep", 150)]
    [InlineData("lenet", 150)]
    public void TrainingStepsAllocateNothing(string model, int steps)
    {
        var r = CliRunner.Run("bench", "--model", model, "--steps", steps.ToString());
        Assert.True(r.ExitCode == 0, r.Stderr);
        var row = Regex.Match(r.Stdout, $@"^{model}\s.*\s(\d+)B\s", RegexOptions.Multiline);
        Assert.True(row.Success, r.Stdout);
        // At most a few bytes per step on average: one-off runtime bookkeeping (tiered JIT) may still land after the warm-up.
        Assert.InRange(int.Parse(row.Groups[1].Value), 0, 8);
    }
}
