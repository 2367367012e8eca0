namespace Flow.Train;

/// <summary>var −= lr · grad.</summary>
public sealed class GradientDescentOptimizer : Optimizer
{
    public GradientDescentOptimizer(double learningRate) : base(learningRate) { }
    public GradientDescentOptimizer(Tensor learningRate) : base(learningRate) { }

    protected override Tensor ApplyOne(Tensor gradient, Variable v) =>
        Tf.ApplyGradientDescent(v, LearningRate(v.Value.Graph, v.DType), gradient);
}

/// <summary>accum = momentum · accum + grad; var −= lr · accum (TF's MomentumOptimizer, no Nesterov).</summary>
public sealed class MomentumOptimizer : Optimizer
{
    private readonly double _momentum;

    public MomentumOptimizer(double learningRate, double momentum) : base(learningRate) => _momentum = momentum;
    public MomentumOptimizer(Tensor learningRate, double momentum) : base(learningRate) => _momentum = momentum;

    protected override Tensor ApplyOne(Tensor gradient, Variable v)
    {
        var accum = Slot(v, "Momentum");
        return Tf.ApplyMomentum(v, accum, LearningRate(v.Value.Graph, v.DType), gradient, _momentum);
    }
}

/// <summary>
/// Adam with TF's update: lr_t = lr·√(1−β2^t)/(1−β1^t); m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
/// var −= lr_t · m / (√v + ε). The powers β^t are variables advanced after every update.
/// </summary>
public sealed class AdamOptimizer : Optimizer
{
    private readonly double _beta1, _beta2, _epsilon;
    private readonly Dictionary<DType, (Variable Beta1Power, Variable Beta2Power)> _powers = [];

    public AdamOptimizer(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(learningRate) => (_beta1, _beta2, _epsilon) = (beta1, beta2, epsilon);

    public AdamOptimizer(Tensor learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(learningRate) => (_beta1, _beta2, _epsilon) = (beta1, beta2, epsilon);

    protected override Tensor ApplyOne(Tensor gradient, Variable v)
    {
        var g = v.Value.Graph;
        var (b1p, b2p) = Powers(g, v.DType);
        return Tf.ApplyAdam(v, Slot(v, "Adam"), Slot(v, "Adam_1"), b1p, b2p, LearningRate(g, v.DType), gradient, _beta1, _beta2, _epsilon);
    }

    protected override IEnumerable<Operation> Finish(Graph g, Operation[] updates)
    {
        using var _ = g.ControlDependencies(updates);
        foreach (var (b1p, b2p) in _powers.Values)
        {
            yield return Tf.Assign(b1p, b1p.Value * _beta1).Op;
            yield return Tf.Assign(b2p, b2p.Value * _beta2).Op;
        }
    }

    private (Variable, Variable) Powers(Graph g, DType dtype)
    {
        if (!_powers.TryGetValue(dtype, out var p))
            _powers[dtype] = p = (g.Variable(g.Scalar(_beta1, dtype), "beta1_power", trainable: false, VariableRole.OptimizerState),
                                  g.Variable(g.Scalar(_beta2, dtype), "beta2_power", trainable: false, VariableRole.OptimizerState));
        return p;
    }
}
