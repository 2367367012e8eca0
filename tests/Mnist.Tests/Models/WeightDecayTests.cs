using Flow;
using Mnist.Models;

namespace Mnist.Tests.Models;

/// <summary>`--weight-decay` reaches the Adam models' train ops, and only their weight matrices and filters.</summary>
public class WeightDecayTests
{
    [Theory]
    [InlineData("deep")]
    [InlineData("mlp")]
    [InlineData("best")]
    public void EveryWeightOfRankTwoOrMoreDecaysAndNothingElse(string name)
    {
        var model = ModelCatalog.Get(name);
        var settings = model.DefaultSettings with { Steps = 10, Epochs = null, WeightDecay = 0 };
        var trainable = model.Build(settings).Graph.TrainableVariables.ToArray();
        Assert.Empty(Decayed(model.Build(settings).Graph));

        var graph = model.Build(settings with { WeightDecay = 0.01 }).Graph;
        var weights = graph.TrainableVariables.Where(v => v.Shape.Rank >= 2).Select(v => v.Name).Order().ToArray();
        Assert.NotEmpty(weights);
        Assert.True(weights.Length < trainable.Length, "the model has biases or batch-norm parameters left alone");
        Assert.Equal(weights, Decayed(graph));
    }

    // The trainable variables written by an AssignSub under the train op's name: the decay (Adam writes through ApplyAdam,
    // batch normalization's moving averages are not trainable).
    private static string[] Decayed(Graph g)
    {
        var trainable = g.TrainableVariables.Select(v => v.Value.Op).ToHashSet();
        return g.Operations.Where(o => o.Type == "AssignSub" && trainable.Contains(o.Inputs[0].Op))
            .Select(o => o.Inputs[0].Op.Name).Order().ToArray();
    }
}
