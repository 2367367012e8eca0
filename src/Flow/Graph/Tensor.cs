namespace Flow;

/// <summary>
/// A symbolic handle to one output of an <see cref="Operation"/> (TF's <c>tf.Tensor</c>). It holds no
/// value: values live in a session's compiled plan. Arithmetic operators add ops to the graph.
/// </summary>
public sealed class Tensor
{
    internal Tensor(Operation op, int index, DType dtype, Shape shape)
    {
        Op = op;
        Index = index;
        DType = dtype;
        Shape = shape;
    }

    public Operation Op { get; }
    public int Index { get; }
    public DType DType { get; }
    /// <summary>The shape known at build time; unknown dimensions are -1.</summary>
    public Shape Shape { get; }
    public Graph Graph => Op.Graph;
    public string Name => $"{Op.Name}:{Index}";

    public override string ToString() => $"Tensor(\"{Name}\", shape={Shape}, dtype={DType.Name()})";

    public static Tensor operator +(Tensor a, Tensor b) => Tf.Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Tf.Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Tf.Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Tf.Div(a, b);
    public static Tensor operator -(Tensor a) => Tf.Neg(a);

    public static Tensor operator +(Tensor a, double b) => Tf.Add(a, a.Graph.Scalar(b, a.DType));
    public static Tensor operator -(Tensor a, double b) => Tf.Sub(a, a.Graph.Scalar(b, a.DType));
    public static Tensor operator *(Tensor a, double b) => Tf.Mul(a, a.Graph.Scalar(b, a.DType));
    public static Tensor operator /(Tensor a, double b) => Tf.Div(a, a.Graph.Scalar(b, a.DType));
    public static Tensor operator +(double a, Tensor b) => Tf.Add(b.Graph.Scalar(a, b.DType), b);
    public static Tensor operator -(double a, Tensor b) => Tf.Sub(b.Graph.Scalar(a, b.DType), b);
    public static Tensor operator *(double a, Tensor b) => Tf.Mul(b.Graph.Scalar(a, b.DType), b);
    public static Tensor operator /(double a, Tensor b) => Tf.Div(b.Graph.Scalar(a, b.DType), b);
}
