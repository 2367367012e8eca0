namespace Flow;

/// <summary>
/// A node of the graph: an op type with inputs, attributes and outputs. Holds no run state;
/// buffers belong to a session's compiled plan.
/// </summary>
public sealed class Operation
{
    private readonly Dictionary<string, object> _attrs;

    internal Operation(Graph graph, int id, OpDef def, string name, Tensor[] inputs,
        Operation[] controlInputs, Dictionary<string, object> attrs)
    {
        Graph = graph;
        Id = id;
        Def = def;
        Name = name;
        Inputs = inputs;
        ControlInputs = controlInputs;
        _attrs = attrs;
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
    internal OpDef Def { get; }

    public T Attr<T>(string name) => _attrs.TryGetValue(name, out var v)
        ? (T)v
        : throw new KeyNotFoundException($"op '{Name}' ({Type}) has no attribute '{name}'");

    public bool HasAttr(string name) => _attrs.ContainsKey(name);

    public Tensor Output => Outputs.Count == 1
        ? Outputs[0]
        : throw new InvalidOperationException($"op '{Name}' ({Type}) has {Outputs.Count} outputs");

    public override string ToString() => $"Operation(\"{Name}\", type={Type})";
}
