namespace Flow;

// Element-wise math with NumPy broadcasting. Gradients are written for the broadcast shape; the
// gradient builder sums them back to each input's shape (SumTo), so each rule stays one line.

public static partial class Tf
{
    public static readonly OpDef AddDef = new("Add", ShapeRules.Broadcast, (op, dy) => [dy[0], dy[0]]);
    public static readonly OpDef SubDef = new("Sub", ShapeRules.Broadcast, (op, dy) => [dy[0], -dy[0]!]);
    public static readonly OpDef MulDef = new("Mul", ShapeRules.Broadcast,
        (op, dy) => [dy[0]! * op.Inputs[1], dy[0]! * op.Inputs[0]]);
    public static readonly OpDef DivDef = new("Div", ShapeRules.Broadcast,
        (op, dy) => [dy[0]! / op.Inputs[1], -dy[0]! * op.Inputs[0] / (op.Inputs[1] * op.Inputs[1])]);
    public static readonly OpDef MaximumDef = new("Maximum", ShapeRules.Broadcast, (op, dy) =>
    {
        // The gradient goes to a where a >= b (ties to the first input, deterministically).
        var aWins = Cast(GreaterEqual(op.Inputs[0], op.Inputs[1]), dy[0]!.DType);
        return [dy[0]! * aWins, dy[0]! * (1.0 - aWins)];
    });

    public static readonly OpDef NegDef = new("Neg", ShapeRules.SameAsInput0, (op, dy) => [-dy[0]!]);
    public static readonly OpDef ExpDef = new("Exp", ShapeRules.SameAsInput0, (op, dy) => [dy[0]! * op.Outputs[0]]);
    public static readonly OpDef LogDef = new("Log", ShapeRules.SameAsInput0, (op, dy) => [dy[0]! / op.Inputs[0]]);
    public static readonly OpDef SquareDef = new("Square", ShapeRules.SameAsInput0, (op, dy) => [dy[0]! * (op.Inputs[0] * 2.0)]);
    public static readonly OpDef SqrtDef = new("Sqrt", ShapeRules.SameAsInput0, (op, dy) => [dy[0]! * 0.5 / op.Outputs[0]]);
    // Floor is piecewise constant: its gradient is zero almost everywhere, so none flows.
    public static readonly OpDef FloorDef = OpDef.NoGradient("Floor", ShapeRules.SameAsInput0);

    public static readonly OpDef EqualDef = OpDef.NoGradient("Equal", ShapeRules.Broadcast);
    public static readonly OpDef GreaterEqualDef = OpDef.NoGradient("GreaterEqual", ShapeRules.Broadcast);

    public static Tensor Add(Tensor a, Tensor b, string? name = null) => Binary(AddDef, a, b, name);
    public static Tensor Sub(Tensor a, Tensor b, string? name = null) => Binary(SubDef, a, b, name);
    public static Tensor Mul(Tensor a, Tensor b, string? name = null) => Binary(MulDef, a, b, name);
    public static Tensor Div(Tensor a, Tensor b, string? name = null) => Binary(DivDef, a, b, name);
    public static Tensor Maximum(Tensor a, Tensor b, string? name = null) => Binary(MaximumDef, a, b, name);

    public static Tensor Neg(Tensor x, string? name = null) => Unary(NegDef, x, name);
    public static Tensor Exp(Tensor x, string? name = null) => Unary(ExpDef, x, name);
    public static Tensor Log(Tensor x, string? name = null) => Unary(LogDef, x, name);
    public static Tensor Square(Tensor x, string? name = null) => Unary(SquareDef, x, name);
    public static Tensor Sqrt(Tensor x, string? name = null) => Unary(SqrtDef, x, name);
    public static Tensor Floor(Tensor x, string? name = null) => Unary(FloorDef, x, name);

    public static Tensor Equal(Tensor a, Tensor b, string? name = null) => Compare(EqualDef, a, b, name);
    public static Tensor GreaterEqual(Tensor a, Tensor b, string? name = null) => Compare(GreaterEqualDef, a, b, name);

    private static Tensor Binary(OpDef def, Tensor a, Tensor b, string? name)
    {
        CheckSameType(def, a, b);
        if (a.DType == DType.Bool) throw new ArgumentException($"{def.Type}: arithmetic on bool tensors {a.Name}, {b.Name}");
        return a.Graph.AddOp(def, name, [a, b], [a.DType]).Output;
    }

    private static Tensor Compare(OpDef def, Tensor a, Tensor b, string? name)
    {
        CheckSameType(def, a, b);
        return a.Graph.AddOp(def, name, [a, b], [DType.Bool]).Output;
    }

    private static Tensor Unary(OpDef def, Tensor x, string? name)
    {
        if (!x.DType.IsFloating() && def != NegDef)
            throw new ArgumentException($"{def.Type}: needs a floating-point input, got {x.Name} of type {x.DType.Name()}");
        return x.Graph.AddOp(def, name, [x], [x.DType]).Output;
    }

    private static void CheckSameType(OpDef def, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{def.Type}: inputs {a.Name} ({a.DType.Name()}) and {b.Name} ({b.DType.Name()}) differ in type");
    }
}
