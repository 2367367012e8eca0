namespace Flow;

/// <summary>Infers output shapes from input shapes: with unknown dims at build time, concrete ones at plan time.</summary>
public delegate Shape[] ShapeFn(Operation op, Shape[] inputs);

/// <summary>
/// Builds the gradient of an op as graph ops: given dL/d(output i) (null where no gradient flows),
/// returns dL/d(input i) (null where none). Never runs kernels.
/// </summary>
public delegate Tensor?[] GradFn(Operation op, Tensor?[] dy);

/// <summary>
/// What the engine knows about one op type, independent of any backend. The definition object is the op's
/// identity: graphs, gradients, backends' kernel tables and exporters refer to it, never to its name.
/// </summary>
public sealed class OpDef
{
    public OpDef(string type, ShapeFn inferShapes, GradFn? gradient)
    {
        Type = type;
        InferShapes = inferShapes;
        Gradient = gradient;
    }

    /// <summary>The op's name (TF's op type): for messages, profiles and exporters, not for lookups.</summary>
    public string Type { get; }
    public ShapeFn InferShapes { get; }
    /// <summary>The shapes the graph records at build time, where they are less specific than what
    /// <see cref="InferShapes"/> gives (PlaceholderWithDefault declares [-1, 784] over a [1, 784] default); null: the same.</summary>
    public ShapeFn? InferBuildShapes { get; init; }
    /// <summary>The <see cref="OpAttributes"/> record the op takes; null for an op without attributes.</summary>
    public Type? AttributesType { get; init; }
    /// <summary>False for ops a plan runs without a kernel: sources (their buffers are filled from outside),
    /// views (Reshape shares its input's buffer) and NoOp (only orders).</summary>
    public bool RunsKernel { get; init; } = true;
    /// <summary>Null with <see cref="NotDifferentiable"/> false means "missing": the gradient builder throws.</summary>
    public GradFn? Gradient { get; }
    /// <summary>The op's outputs carry no gradient to its inputs (ArgMax, Equal, random ops...).</summary>
    public bool NotDifferentiable { get; init; }
    /// <summary>Index of the input whose buffer the (single) output reuses (Reshape, Assign); -1 for none.</summary>
    public int AliasesInput { get; init; } = -1;
    /// <summary>Has state in the session between runs (random streams).</summary>
    public bool Stateful { get; init; }
    /// <summary>Writes the variable given as input 0.</summary>
    public bool WritesVariable { get; init; }

    public static OpDef NoGradient(string type, ShapeFn inferShapes) => new(type, inferShapes, null) { NotDifferentiable = true };

    public override string ToString() => Type;
}

/// <summary>Shape functions shared by several op families.</summary>
internal static class ShapeRules
{
    public static Shape[] SameAsInput0(Operation op, Shape[] s) => [s[0]];

    public static Shape[] Broadcast(Operation op, Shape[] s) =>
        [Shape.TryBroadcast(s[0], s[1]) ?? throw new ShapeException(
            $"{op.Type} '{op.Name}': shapes {s[0]} and {s[1]} cannot be broadcast together")];

    public static Shape[] Scalar(Operation op, Shape[] s) => [Shape.Scalar];

    /// <summary>Normalises axes (negative counts from the end) and checks them against a rank.</summary>
    public static int[] NormalizeAxes(Operation op, int[] axes, int rank)
    {
        var result = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank)
                throw new ShapeException($"{op.Type} '{op.Name}': axis {axes[i]} is out of range for rank {rank}");
            result[i] = a;
        }
        return result;
    }
}

/// <summary>A shape that does not fit an op, found at graph-build or plan time.</summary>
public sealed class ShapeException(string message) : Exception(message);
