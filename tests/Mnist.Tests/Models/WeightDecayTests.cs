using Flow;
using Mnist.Models;

namespace Mnist.Tests.Models;

/// <summary>`--weight-decay` reaches the Adam models' train ops, and only their weight matrices and filters.</summary>
public class WeightDecayTests
{
    public static TheoryData<string> WithWeightDecay => new(ModelCatalog.WithWeightDecay);

    [Fact]
    public void TheModelsThatTakeTheFlagAreTheAdamOnes()
    {
        Assert.Equal(["deep", "mlp", "best"], ModelCatalog.WithWeightDecay);
        // A model that says it does not honour the flag builds no decay ops with it (a new Adam model that forgot to
        // say so fails here).
        foreach (var model in ModelCatalog.All.Where(m => !m.HonoursWeightDecay))
        {
            var settings = model.DefaultSettings with { Steps = 10, Epochs = null, WeightDecay = 0.01 };
            Assert.Empty(Decayed(model.Build(settings).Graph));
        }
    }

    [Theory, MemberData(nameof(WithWeightDecay))]
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
