namespace Flow;

/// <summary>
/// A node of the graph: an op type with inputs, attributes and outputs. Holds no run state;
/// buffers belong to a session's compiled plan.
/// </summary>
public sealed class Operation
{
    internal Operation(Graph graph, int id, OpDef def, string name, Tensor[] inputs,
        Operation[] controlInputs, OpAttributes? attributes)
    {
        Graph = graph;
        Id = id;
        Def = def;
        Name = name;
        Inputs = inputs;
        ControlInputs = controlInputs;
        Attributes = attributes;
        Outputs = [];
    }

    public Graph Graph { get; }
    /// <summary>Creation order; since inputs exist before their consumers it is a topological order.</summary>
    public int Id { get; }
    public string Type => Def.Type;
    public string Name { get; }
    public IReadOnlyList<Tensor> Inputs { get; }
    public IReadOnlyList<Operation> ControlInputs { get; }
    public IReadOnlyList<Tensor> Outputs { get; internal set; }
    /// <summary>The op's definition: compare it with the published ones (<c>Tf.MatMulDef</c>...) to tell ops apart.</summary>
    public OpDef Def { get; }
    /// <summary>The op's typed attributes (of <see cref="OpDef.AttributesType"/>); null for an op without any.</summary>
    public OpAttributes? Attributes { get; }

    /// <summary>The attributes as the record type the op's definition declares.</summary>
    public T Attrs<T>() where T : OpAttributes => Attributes as T
        ?? throw new InvalidOperationException($"op '{Name}' ({Type}) has {(Attributes is null ? "no attributes" : Attributes.GetType().Name)}, not {typeof(T).Name}");

    public Tensor Output => Outputs.Count == 1
        ? Outputs[0]
        : throw new InvalidOperationException($"op '{Name}' ({Type}) has {Outputs.Count} outputs");

    public override string ToString() => $"Operation(\"{Name}\", type={Type})";
}
