namespace Flow.Train;

/// <summary>var −= lr · grad.</summary>
public sealed class GradientDescentOptimizer : Optimizer
{
    public GradientDescentOptimizer(double learningRate) : base(learningRate) { }
    public GradientDescentOptimizer(Tensor learningRate) : base(learningRate) { }

    protected override Tensor ApplyOne(Tensor gradient, Variable v) =>
        Tf.ApplyGradientDescent(v, LearningRate(v.Value.Graph, v.DType), gradient);
}

/// <summary>
/// accum = momentum · accum + grad; var −= lr · accum (TF's MomentumOptimizer). With <c>useNesterov</c> the step
/// looks ahead as TF's does: var −= lr · grad + lr · momentum · accum.
/// </summary>
public sealed class MomentumOptimizer : Optimizer
{
    private readonly double _momentum;
    private readonly bool _useNesterov;

    public MomentumOptimizer(double learningRate, double momentum, bool useNesterov = false) : base(learningRate) =>
        (_momentum, _useNesterov) = (momentum, useNesterov);
    public MomentumOptimizer(Tensor learningRate, double momentum, bool useNesterov = false) : base(learningRate) =>
        (_momentum, _useNesterov) = (momentum, useNesterov);

    protected override Tensor ApplyOne(Tensor gradient, Variable v)
    {
        var accum = Slot(v, "Momentum");
        return Tf.ApplyMomentum(v, accum, LearningRate(v.Value.Graph, v.DType), gradient, _momentum, _useNesterov);
    }
}

/// <summary>
/// TF 1.x's AdagradOptimizer: accum += grad²; var −= lr · grad / √accum, the accumulator starting at
/// <c>initialAccumulatorValue</c> (0.1 as TF's default, which also keeps the first step finite).
/// </summary>
public sealed class AdagradOptimizer : Optimizer
{
    private readonly double _initial;

    public AdagradOptimizer(double learningRate, double initialAccumulatorValue = 0.1) : base(learningRate) => _initial = Checked(initialAccumulatorValue);
    public AdagradOptimizer(Tensor learningRate, double initialAccumulatorValue = 0.1) : base(learningRate) => _initial = Checked(initialAccumulatorValue);

    private static double Checked(double initial) => initial > 0 ? initial
        : throw new ArgumentOutOfRangeException(nameof(initial), $"AdagradOptimizer: the initial accumulator value must be positive, got {initial}");

    protected override Tensor ApplyOne(Tensor gradient, Variable v) =>
        Tf.ApplyAdagrad(v, Slot(v, "Adagrad", _initial), LearningRate(v.Value.Graph, v.DType), gradient);
}

/// <summary>
/// TF 1.x's RMSPropOptimizer (not centered): ms = decay · ms + (1 − decay) · grad²;
/// mom = momentum · mom + lr · grad / √(ms + ε) (ε inside the root); var −= mom. As TF, the mean square
/// (slot "RMSProp") starts at 1 and the momentum (slot "RMSProp_1") at 0.
/// </summary>
public sealed class RmsPropOptimizer : Optimizer
{
    private readonly double _decay, _momentum, _epsilon;

    public RmsPropOptimizer(double learningRate, double decay = 0.9, double momentum = 0.0, double epsilon = 1e-10)
        : base(learningRate) => (_decay, _momentum, _epsilon) = (decay, momentum, epsilon);
    public RmsPropOptimizer(Tensor learningRate, double decay = 0.9, double momentum = 0.0, double epsilon = 1e-10)
        : base(learningRate) => (_decay, _momentum, _epsilon) = (decay, momentum, epsilon);

    protected override Tensor ApplyOne(Tensor gradient, Variable v) =>
        Tf.ApplyRmsProp(v, Slot(v, "RMSProp", 1.0), Slot(v, "RMSProp_1"), LearningRate(v.Value.Graph, v.DType), gradient, _decay, _momentum, _epsilon);
}

/// <summary>
/// Adam with TF's update: lr_t = lr·√(1−β2^t)/(1−β1^t); m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
/// var −= lr_t · m / (√v + ε). The powers β^t are variables advanced after every update.
/// With <c>weightDecay</c> λ &gt; 0 it is AdamW (Loshchilov and Hutter's decoupled weight decay, as torch.optim.AdamW
/// applies it): each variable that <c>decays</c> selects (default: all) first shrinks, var −= lr · λ · var, so the decay
/// follows the learning-rate schedule but not Adam's per-element scaling, and the Adam step follows on the shrunk value.
/// </summary>
public sealed class AdamOptimizer : Optimizer
{
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;
    private readonly Func<Variable, bool>? _decays;
    private readonly Dictionary<DType, (Variable Beta1Power, Variable Beta2Power)> _powers = [];

    public AdamOptimizer(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, Func<Variable, bool>? decays = null)
        : base(learningRate) => (_beta1, _beta2, _epsilon, _weightDecay, _decays) = (beta1, beta2, epsilon, CheckedDecay(weightDecay), decays);

    public AdamOptimizer(Tensor learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, Func<Variable, bool>? decays = null)
        : base(learningRate) => (_beta1, _beta2, _epsilon, _weightDecay, _decays) = (beta1, beta2, epsilon, CheckedDecay(weightDecay), decays);

    private static double CheckedDecay(double weightDecay) => weightDecay >= 0 && double.IsFinite(weightDecay) ? weightDecay
        : throw new ArgumentOutOfRangeException(nameof(weightDecay), $"AdamOptimizer: the weight decay must be finite and non-negative, got {weightDecay}");

    protected override Tensor ApplyOne(Tensor gradient, Variable v)
    {
        var g = v.Value.Graph;
        var (b1p, b2p) = Powers(g, v.DType);
        // Without decay this builds exactly plain Adam's ops in their order (the learning rate read after the slots).
        Tensor Adam() => Tf.ApplyAdam(v, Slot(v, "Adam"), Slot(v, "Adam_1"), b1p, b2p, LearningRate(g, v.DType), gradient, _beta1, _beta2, _epsilon);
        if (_weightDecay == 0 || _decays?.Invoke(v) == false) return Adam();
        var decayed = Tf.AssignSub(v, LearningRate(g, v.DType) * g.Scalar(_weightDecay, v.DType) * v.Value);
        using (g.ControlDependencies([decayed.Op])) return Adam();
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
        if (_powers.TryGetValue(dtype, out var p)) return p;
        // Named as TF names them, outside the train op's name scope.
        using (g.InitScope())
            _powers[dtype] = p = (g.Variable(g.Scalar(_beta1, dtype), "beta1_power", trainable: false, VariableRole.OptimizerState),
                                  g.Variable(g.Scalar(_beta2, dtype), "beta2_power", trainable: false, VariableRole.OptimizerState));
        return p;
    }
}
