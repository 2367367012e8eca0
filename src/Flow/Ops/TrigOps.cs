namespace Flow;

// Sine and cosine, element-wise (tf.sin, tf.cos); each differentiates into the other. The cosine
// learning-rate schedules are built from Cos.
//   d sin(x) = cos(x) dx,  d cos(x) = −sin(x) dx

public static partial class Tf
{
    public static readonly OpDef SinDef = new("Sin", ShapeRules.SameAsInput0, (op, dy) => [dy[0]! * Cos(op.Inputs[0])]);
    public static readonly OpDef CosDef = new("Cos", ShapeRules.SameAsInput0, (op, dy) => [-dy[0]! * Sin(op.Inputs[0])]);

    public static Tensor Sin(Tensor x, string? name = null) => Unary(SinDef, x, name);
    public static Tensor Cos(Tensor x, string? name = null) => Unary(CosDef, x, name);
}
