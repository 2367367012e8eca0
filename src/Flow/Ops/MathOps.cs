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

// Minimum, Abs (with its derivative Sign) and Pow: the rest of TF's element-wise math that models reach for.

public static partial class Tf
{
    public static readonly OpDef MinimumDef = new("Minimum", ShapeRules.Broadcast, (op, dy) =>
    {
        // The gradient goes to a where a <= b (ties to the first input, as TF's Minimum sends them).
        var aWins = Cast(GreaterEqual(op.Inputs[1], op.Inputs[0]), dy[0]!.DType);
        return [dy[0]! * aWins, dy[0]! * (1.0 - aWins)];
    });

    public static readonly OpDef AbsDef = new("Abs", ShapeRules.SameAsInput0, (op, dy) => [dy[0]! * Sign(op.Inputs[0])]);
    // Sign is piecewise constant: no gradient flows through it (TF returns zeros).
    public static readonly OpDef SignDef = OpDef.NoGradient("Sign", ShapeRules.SameAsInput0);

    // d(a^b)/da = b·a^(b−1); d(a^b)/db = a^b·ln a, taken as 0 where a ≤ 0 (TF's rule: there ln a is not real).
    public static readonly OpDef PowDef = new("Pow", ShapeRules.Broadcast, (op, dy) =>
    {
        var (a, b, z) = (op.Inputs[0], op.Inputs[1], op.Outputs[0]);
        var positive = 1.0 - Cast(GreaterEqual(ZerosLike(a), a), a.DType);
        var logA = Log(a * positive + (1.0 - positive));
        return [dy[0]! * b * Pow(a, b - 1.0), dy[0]! * z * logA];
    });

    public static Tensor Minimum(Tensor a, Tensor b, string? name = null) => Binary(MinimumDef, a, b, name);

    /// <summary>|x|, element-wise.</summary>
    public static Tensor Abs(Tensor x, string? name = null) => Unary(AbsDef, x, name);

    /// <summary>−1, 0 or 1 by the sign of x (NaN stays NaN), element-wise.</summary>
    public static Tensor Sign(Tensor x, string? name = null) => Unary(SignDef, x, name);

    /// <summary>a^b element-wise with broadcasting (floating point only).</summary>
    public static Tensor Pow(Tensor a, Tensor b, string? name = null)
    {
        if (!a.DType.IsFloating())
            throw new ArgumentException($"Pow: needs floating-point inputs, got {a.Name} of type {a.DType.Name()}");
        return Binary(PowDef, a, b, name);
    }

    public static Tensor Pow(Tensor a, double b, string? name = null) => Pow(a, a.Graph.Scalar(b, a.DType), name);
}
