namespace Flow;

// Fused optimizer updates (TF's ApplyGradientDescent / ApplyMomentum / ApplyAdam / ApplyAdagrad / ApplyRMSProp): one pass over the
// variable and its slots instead of a chain of element-wise ops, each with its own temporary. They
// change state, so they have no gradient; the composed formulas in the optimizers' docs define them.

public static partial class Tf
{
    public static readonly OpDef ApplyGradientDescentDef = ApplyDef("ApplyGradientDescent", null);
    public static readonly OpDef ApplyMomentumDef = ApplyDef("ApplyMomentum", typeof(MomentumAttributes));
    public static readonly OpDef ApplyAdamDef = ApplyDef("ApplyAdam", typeof(AdamAttributes));
    public static readonly OpDef ApplyAdagradDef = ApplyDef("ApplyAdagrad", null);
    public static readonly OpDef ApplyRmsPropDef = ApplyDef("ApplyRMSProp", typeof(RmsPropAttributes));

    /// <summary>var −= lr · grad; returns the updated variable.</summary>
    public static Tensor ApplyGradientDescent(Tensor var, Tensor lr, Tensor grad) =>
        Apply(ApplyGradientDescentDef, [var, lr, grad], null);

    /// <summary>accum = momentum · accum + grad; var −= lr · accum, or with Nesterov var −= lr · grad + lr · momentum · accum.</summary>
    public static Tensor ApplyMomentum(Tensor var, Tensor accum, Tensor lr, Tensor grad, double momentum, bool useNesterov = false) =>
        Apply(ApplyMomentumDef, [var, accum, lr, grad], new MomentumAttributes(momentum, useNesterov));

    /// <summary>accum += grad²; var −= lr · grad / √accum (TF 1.x's ApplyAdagrad, no epsilon).</summary>
    public static Tensor ApplyAdagrad(Tensor var, Tensor accum, Tensor lr, Tensor grad) =>
        Apply(ApplyAdagradDef, [var, accum, lr, grad], null);

    /// <summary>ms = decay · ms + (1 − decay) · grad²; mom = momentum · mom + lr · grad / √(ms + ε); var −= mom.</summary>
    public static Tensor ApplyRmsProp(Tensor var, Tensor ms, Tensor mom, Tensor lr, Tensor grad, double decay, double momentum, double epsilon) =>
        Apply(ApplyRmsPropDef, [var, ms, mom, lr, grad], new RmsPropAttributes(decay, momentum, epsilon));

    /// <summary>lr_t = lr·√(1−β2^t)/(1−β1^t); m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; var −= lr_t·m/(√v + ε).</summary>
    public static Tensor ApplyAdam(Tensor var, Tensor m, Tensor v, Tensor beta1Power, Tensor beta2Power, Tensor lr, Tensor grad,
        double beta1, double beta2, double epsilon) =>
        Apply(ApplyAdamDef, [var, m, v, beta1Power, beta2Power, lr, grad],
            new AdamAttributes(beta1, beta2, epsilon));

    private static Tensor Apply(OpDef def, Tensor[] inputs, OpAttributes? attrs)
    {
        var var = inputs[0];
        if (var.Op.Def != Graph.VariableDef) throw new ArgumentException($"{def.Type}: {var.Name} is not a variable");
        foreach (var t in inputs)
            if (t.DType != var.DType)
                throw new ArgumentException($"{def.Type}: input {t.Name} is {t.DType.Name()}, the variable is {var.DType.Name()}");
        return var.Graph.AddOp(def, null, inputs, [var.DType], attrs).Output;
    }

    // Slots and the gradient have the variable's shape; the rates are scalars.
    private static OpDef ApplyDef(string type, Type? attributes) => new(type, (op, s) =>
    {
        for (int i = 1; i < s.Length; i++)
        {
            bool scalar = s[i].Rank == 0;
            if (!scalar && !s[i].IsCompatibleWith(s[0]))
                throw new ShapeException($"{type} '{op.Name}': input {op.Inputs[i].Name} has shape {s[i]}, the variable {s[0]}");
        }
        return [s[0]];
    }, null) { NotDifferentiable = true, AliasesInput = 0, WritesVariable = true, AttributesType = attributes };
}
