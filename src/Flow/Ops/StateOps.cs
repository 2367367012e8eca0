namespace Flow;

// Variables and the ops that change them. A variable's value lives in the session; the Variable op
// reads it, Assign/AssignAdd/AssignSub write it and output the new value.

/// <summary>What a variable holds, for checkpoints and exporters: the model, or a training procedure's state.</summary>
public enum VariableRole
{
    /// <summary>A value the model computes with (weights, biases): what a model file keeps.</summary>
    Model,
    /// <summary>An optimizer's per-variable state (momentum accumulator, Adam's moments): see <see cref="Variable.SlotOf"/>.</summary>
    OptimizerSlot,
    /// <summary>An optimizer's shared state (Adam's β powers).</summary>
    OptimizerState,
    /// <summary>A step counter (the global step).</summary>
    Counter,
}

/// <summary>A trainable (or not) tensor whose value persists in a session between runs (tf.Variable).</summary>
public sealed class Variable
{
    internal Variable(Tensor value, Operation initializer, bool trainable, VariableRole role, Variable? slotOf, string? slotName)
    {
        Value = value;
        Initializer = initializer;
        Trainable = trainable;
        Role = role;
        SlotOf = slotOf;
        SlotName = slotName;
    }

    /// <summary>The variable's current value as a graph tensor.</summary>
    public Tensor Value { get; }
    /// <summary>Assigns the initial value; run by GlobalVariablesInitializer.</summary>
    public Operation Initializer { get; }
    public bool Trainable { get; }
    public VariableRole Role { get; }
    /// <summary>For an optimizer slot, the variable it belongs to; null otherwise.</summary>
    public Variable? SlotOf { get; }
    /// <summary>For an optimizer slot, its name ("Momentum", "Adam", "Adam_1", as TF names them); null otherwise.</summary>
    public string? SlotName { get; }
    public string Name => Value.Op.Name;
    public Shape Shape => Value.Shape;
    public DType DType => Value.DType;

    public static implicit operator Tensor(Variable v) => v.Value;

    // C# looks for operators only on the operands' own types, so Variable needs these to allow w * w, w * 2 and -w
    // (a Variable with a Tensor already finds Tensor's through the conversion above).
    public static Tensor operator +(Variable a, Variable b) => a.Value + b.Value;
    public static Tensor operator -(Variable a, Variable b) => a.Value - b.Value;
    public static Tensor operator *(Variable a, Variable b) => a.Value * b.Value;
    public static Tensor operator /(Variable a, Variable b) => a.Value / b.Value;
    public static Tensor operator -(Variable a) => -a.Value;
    public static Tensor operator +(Variable a, double b) => a.Value + b;
    public static Tensor operator -(Variable a, double b) => a.Value - b;
    public static Tensor operator *(Variable a, double b) => a.Value * b;
    public static Tensor operator /(Variable a, double b) => a.Value / b;
    public static Tensor operator +(double a, Variable b) => a + b.Value;
    public static Tensor operator -(double a, Variable b) => a - b.Value;
    public static Tensor operator *(double a, Variable b) => a * b.Value;
    public static Tensor operator /(double a, Variable b) => a / b.Value;
    public override string ToString() => $"Variable(\"{Name}\", shape={Shape}, dtype={DType.Name()})";
}

public sealed partial class Graph
{
    public static readonly OpDef VariableDef = new("Variable", (op, _) => [op.Attrs<ShapeAttributes>().Shape], null)
    { NotDifferentiable = true, AttributesType = typeof(ShapeAttributes), RunsKernel = false };

    /// <summary>A variable initialised from <paramref name="initialValue"/> (whose shape must be fully known).</summary>
    public Variable Variable(Tensor initialValue, string? name = null, bool trainable = true) =>
        Variable(initialValue, name, trainable, VariableRole.Model);

    /// <summary>A variable of the given role; an optimizer slot names the variable it belongs to and the slot.</summary>
    public Variable Variable(Tensor initialValue, string? name, bool trainable, VariableRole role, Variable? slotOf = null, string? slotName = null)
    {
        if ((role == VariableRole.OptimizerSlot) != (slotOf is not null))
            throw new ArgumentException($"Variable '{name}': an optimizer slot, and only a slot, names the variable it belongs to");
        if (!initialValue.Shape.IsFullyDefined)
            throw new ShapeException($"Variable '{name}': initial value {initialValue.Name} has shape {initialValue.Shape}, which is not fully defined");
        // The variable and its initializer wait for no control dependency (TF builds them in init_scope): a
        // variable made inside a control_dependencies block still initialises on its own.
        Operation op, initializer;
        using (WithoutControlDependencies())
        {
            op = AddOp(VariableDef, name ?? "Variable", [], [initialValue.DType], new ShapeAttributes(initialValue.Shape));
            initializer = Tf.Assign(op.Output, initialValue, op.Name + "/Assign").Op;
        }
        var v = new Variable(op.Output, initializer, trainable, role, slotOf, slotName);
        Register(v);
        return v;
    }

    /// <summary>One op that runs every variable's initializer (tf.global_variables_initializer).</summary>
    public Operation GlobalVariablesInitializer() =>
        Tf.Group(GlobalVariables.Select(v => v.Initializer).ToArray(), "init");
}

public static partial class Tf
{
    public static readonly OpDef AssignDef = StateDef("Assign");
    public static readonly OpDef AssignAddDef = StateDef("AssignAdd");
    public static readonly OpDef AssignSubDef = StateDef("AssignSub");
    public static readonly OpDef NoOpDef = new("NoOp", (op, _) => [], null) { NotDifferentiable = true, RunsKernel = false };

    public static Tensor Assign(Tensor variable, Tensor value, string? name = null) => State(AssignDef, variable, value, name);
    public static Tensor AssignAdd(Tensor variable, Tensor value, string? name = null) => State(AssignAddDef, variable, value, name);
    public static Tensor AssignSub(Tensor variable, Tensor value, string? name = null) => State(AssignSubDef, variable, value, name);

    /// <summary>An op that does nothing but run after all of <paramref name="ops"/> (tf.group).</summary>
    public static Operation Group(Operation[] ops, string? name = null)
    {
        if (ops.Length == 0) throw new ArgumentException("Group needs at least one op");
        return ops[0].Graph.AddOp(NoOpDef, name ?? "group", [], [], controlInputs: ops);
    }

    public static Operation NoOp(Graph g, string? name = null) => g.AddOp(NoOpDef, name, [], []);

    private static OpDef StateDef(string type) => new(type, (op, s) =>
    {
        if (!s[0].Equals(s[1]) && !(s[1].IsCompatibleWith(s[0]) && s[0].IsFullyDefined))
            throw new ShapeException($"{type} '{op.Name}': value of shape {s[1]} does not match variable {op.Inputs[0].Op.Name} of shape {s[0]}");
        return [s[0]];
    }, null) { NotDifferentiable = true, AliasesInput = 0, WritesVariable = true };

    private static Tensor State(OpDef def, Tensor variable, Tensor value, string? name)
    {
        if (variable.Op.Def != Graph.VariableDef)
            throw new ArgumentException($"{def.Type}: {variable.Name} is not a variable");
        CheckSameType(def, variable, value);
        return variable.Graph.AddOp(def, name, [variable, value], [variable.DType]).Output;
    }
}
