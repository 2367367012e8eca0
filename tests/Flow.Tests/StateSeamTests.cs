using Flow.Train;

namespace Flow.Tests;

/// <summary>What a checkpoint needs to enumerate: variables by role with their slots, and random stream states.</summary>
public class StateSeamTests
{
    [Fact]
    public void OptimizerVariablesSayWhatTheyAreAndWhomTheyBelongTo()
    {
        var g = new Graph();
        var w = g.Variable(g.Ones(new Shape(3)), "w");
        var step = TrainingUtil.CreateGlobalStep(g);
        new AdamOptimizer(0.1).Minimize(Tf.ReduceSum(Tf.Square(w.Value)), globalStep: step);
        Assert.Equal(VariableRole.Model, w.Role);
        Assert.Equal(VariableRole.Counter, step.Role);
        var slots = g.GlobalVariables.Where(v => v.Role == VariableRole.OptimizerSlot).ToArray();
        Assert.Equal(["Adam", "Adam_1"], slots.Select(s => s.SlotName));
        Assert.All(slots, s => Assert.Same(w, s.SlotOf));
        Assert.Equal(["beta1_power", "beta2_power"], g.GlobalVariables.Where(v => v.Role == VariableRole.OptimizerState).Select(v => v.Name));
        Assert.Throws<ArgumentException>(() => g.Variable(g.Ones(new Shape(3)), "bad", false, VariableRole.OptimizerSlot));
    }

    [Fact]
    public void ARestoredStreamStateRepeatsTheSameDraws()
    {
        var g = new Graph(seed: 5);
        var drop = Tf.Dropout(g.Ones(new Shape(64)), 0.5);
        using var s = new Session(g);
        var op = Assert.Single(g.Operations, o => o.Def.Stateful);
        s.Run(drop);
        var saved = s.RandomFor(op).State;
        var next = s.Run(drop).ToFloatArray();
        Assert.NotEqual(next, s.Run(drop).ToFloatArray());
        s.RandomFor(op).State = saved;
        Assert.Equal(next, s.Run(drop).ToFloatArray());
        Assert.Throws<ArgumentException>(() => s.RandomFor(g.Operations[0]));
    }
}
