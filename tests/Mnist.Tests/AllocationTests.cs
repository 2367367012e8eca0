using Mnist.Bench;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Tests;

/// <summary>Steady-state training allocates no managed memory per step: plans, buffers and feeds are reused.</summary>
public class AllocationTests
{
    [Theory]
    [InlineData("softmax", 300)]
    [InlineData("mlp", 100)]
    [InlineData("deep", 100)]
    [InlineData("lenet", 100)]
    public void TrainingStepsAllocateAtMostAFewBytes(string model, int steps)
    {
        var m = ModelCatalog.Get(model);
        var train = InputData.FakeDataSets(trainSize: 2000, validationSize: 0, testSize: 0).Train;
        var r = TrainingBench.Run(m, train, m.DefaultSettings.BatchSize, steps, threads: 2, warmupSteps: 20);
        // A few bytes per step on average covers one-off runtime allocations (tiered JIT bookkeeping).
        Assert.True(r.AllocatedBytesPerStep <= 16, $"{model}: {r.AllocatedBytesPerStep} bytes allocated per step");
    }
}
