namespace Flow.Train;

/// <summary>
/// Base of the optimizers: <see cref="Minimize"/> adds the gradients and the update ops to the graph and
/// returns one train op (TF 1.x tf.train.Optimizer). Subclasses only say how one variable is updated.
/// </summary>
public abstract class Optimizer
{
    private readonly double _rate;
    private readonly Tensor? _rateTensor;

    protected Optimizer(double learningRate) => _rate = learningRate;
    protected Optimizer(Tensor learningRate) => _rateTensor = learningRate;

    /// <summary>Learning rate as a graph tensor of the variables' type.</summary>
    protected Tensor LearningRate(Graph g, DType dtype) =>
        _rateTensor is null ? g.Scalar(_rate, dtype) : Tf.Cast(_rateTensor, dtype);

    /// <param name="varList">Variables to train (default: all trainable ones).</param>
    /// <param name="globalStep">Incremented by one after the updates, when given.</param>
    public Operation Minimize(Tensor loss, IEnumerable<Variable>? varList = null, Variable? globalStep = null, string name = "train")
    {
        var vars = (varList ?? loss.Graph.TrainableVariables).ToArray();
        if (vars.Length == 0) throw new InvalidOperationException("Minimize: there are no trainable variables");
        var grads = Tf.Gradients([loss], vars.Select(v => v.Value).ToArray());
        var pairs = vars.Zip(grads).Where(p => p.Second is not null).ToArray();
        if (pairs.Length == 0)
            throw new InvalidOperationException($"Minimize: {loss.Name} depends on none of the variables {string.Join(", ", vars.Select(v => v.Name))}");
        return ApplyGradients(pairs.Select(p => (p.Second!, p.First)).ToArray(), globalStep, name);
    }

    public Operation ApplyGradients((Tensor Gradient, Variable Variable)[] gradsAndVars, Variable? globalStep = null, string name = "train")
    {
        var g = gradsAndVars[0].Variable.Value.Graph;
        List<Operation> updates;
        // The update ops (and the slots they keep) nest under the train op's name in TensorBoard.
        using (g.NameScope(name))
        {
            updates = gradsAndVars.Select(p => ApplyOne(p.Gradient, p.Variable).Op).ToList();
            updates.AddRange(Finish(g, updates.ToArray()));
            if (globalStep is not null)
                using (g.ControlDependencies(updates.ToArray()))
                    updates.Add(Tf.AssignAdd(globalStep, g.Scalar(1, globalStep.DType)).Op);
        }
        return Tf.Group(updates.ToArray(), name);
    }

    /// <summary>Builds the update of one variable; returns the op that writes it.</summary>
    protected abstract Tensor ApplyOne(Tensor gradient, Variable variable);

    /// <summary>Ops that run after all updates (Adam's beta powers); none by default.</summary>
    protected virtual IEnumerable<Operation> Finish(Graph g, Operation[] updates) => [];

    /// <summary>A non-trainable variable shaped like <paramref name="like"/>, filled with <paramref name="initialValue"/>
    /// (zero unless the optimizer says otherwise), named "variable/slot" as TF names slots, outside the train op's name scope.</summary>
    protected static Variable Slot(Variable like, string slotName, double initialValue = 0)
    {
        var g = like.Value.Graph;
        using var root = g.InitScope();
        return g.Variable(g.Fill(like.Shape, initialValue, like.DType), $"{like.Name}/{slotName}", trainable: false, VariableRole.OptimizerSlot, like, slotName);
    }
}

public static class TrainingUtil
{
    /// <summary>An int32 scalar variable counting training steps (tf.train.get_or_create_global_step); like TF's, it is
    /// built in an init scope, so it initialises on its own wherever it is made.</summary>
    public static Variable CreateGlobalStep(Graph g)
    {
        using var init = g.InitScope();
        return g.Variable(g.Scalar(0, DType.Int32), "global_step", trainable: false, VariableRole.Counter);
    }
}
