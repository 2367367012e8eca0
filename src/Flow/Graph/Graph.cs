namespace Flow;

/// <summary>
/// A dataflow graph (TF 1.x <c>tf.Graph</c>): ops are appended as they are built, so creation order is
/// a topological order. Source ops (placeholders, constants, variables, random tensors) are built from
/// the graph; every other op from its input tensors through <see cref="Tf"/>.
/// </summary>
public sealed partial class Graph
{
    private readonly List<Operation> _ops = [];
    private readonly Dictionary<string, int> _nameCounts = [];
    private readonly List<Variable> _variables = [];
    private readonly Stack<Operation[]> _controlScopes = new();
    private readonly List<string> _nameScopes = [];

    /// <param name="seed">Graph-level seed (TF's <c>tf.set_random_seed</c>): random ops without their
    /// own seed derive one from it and their position, so a graph built twice draws the same values.</param>
    public Graph(int seed = 0) => Seed = seed;

    public int Seed { get; }
    public IReadOnlyList<Operation> Operations => _ops;
    public IReadOnlyList<Variable> GlobalVariables => _variables;
    public IEnumerable<Variable> TrainableVariables => _variables.Where(v => v.Trainable);

    /// <summary>
    /// Ops a training step must run besides the optimizer's (TF's <c>tf.GraphKeys.UPDATE_OPS</c>): batch
    /// normalization's moving averages. Build the train op inside
    /// <c>using (g.ControlDependencies(g.UpdateOps.ToArray()))</c> so every step runs them.
    /// </summary>
    public List<Operation> UpdateOps { get; } = [];

    public Operation? FindOperation(string name) => _ops.FirstOrDefault(o => o.Name == name);

    /// <summary>
    /// Appends an op: checks its inputs and attributes, runs its shape function and creates its outputs.
    /// The builders in <see cref="Tf"/> call this; so does a new op (see docs/flow.md, "Adding an op").
    /// </summary>
    public Operation AddOp(OpDef def, string? name, Tensor[] inputs, DType[] outputTypes,
        OpAttributes? attributes = null, IEnumerable<Operation>? controlInputs = null)
    {
        if (attributes?.GetType() != def.AttributesType)
            throw new ArgumentException($"{def.Type}: takes {def.AttributesType?.Name ?? "no attributes"}, got {attributes?.GetType().Name ?? "none"}");
        foreach (var t in inputs)
            if (t.Graph != this)
                throw new ArgumentException($"{def.Type}: input {t.Name} belongs to another graph");
        var control = (controlInputs ?? []).Concat(_controlScopes.SelectMany(s => s)).Distinct().ToArray();
        var op = new Operation(this, _ops.Count, def, UniqueName(string.Concat(_nameScopes.Select(s => s + "/")) + (name ?? def.Type)), inputs, control, attributes);
        var shapes = (def.InferBuildShapes ?? def.InferShapes)(op, inputs.Select(t => t.Shape).ToArray());
        if (shapes.Length != outputTypes.Length)
            throw new InvalidOperationException($"{def.Type}: shape function gave {shapes.Length} outputs, expected {outputTypes.Length}");
        op.Outputs = shapes.Select((s, i) => new Tensor(op, i, outputTypes[i], s)).ToArray();
        _ops.Add(op);
        return op;
    }

    internal void Register(Variable v) => _variables.Add(v);

    /// <summary>Ops built inside the scope run only after <paramref name="ops"/> (TF's control_dependencies).</summary>
    public IDisposable ControlDependencies(params Operation[] ops)
    {
        _controlScopes.Push(ops);
        return new ScopeExit(() => _controlScopes.Pop());
    }

    /// <summary>
    /// Ops built inside the scope get "<paramref name="scope"/>/" before their names (TF's name_scope):
    /// TensorBoard's graph view nests them under it.
    /// </summary>
    public IDisposable NameScope(string scope)
    {
        _nameScopes.Add(scope);
        return new ScopeExit(() => _nameScopes.RemoveAt(_nameScopes.Count - 1));
    }

    /// <summary>
    /// Ops built inside are named outside every name scope and wait for no control dependency (TF's init_scope):
    /// an optimizer's slots, built while the train op is, must initialise without running a training step.
    /// </summary>
    public IDisposable InitScope()
    {
        var names = _nameScopes.ToArray();
        _nameScopes.Clear();
        var controls = WithoutControlDependencies();
        return new ScopeExit(() =>
        {
            controls.Dispose();
            _nameScopes.Clear();
            _nameScopes.AddRange(names);
        });
    }

    /// <summary>Ops built inside wait for no control dependency of the enclosing scopes.</summary>
    internal IDisposable WithoutControlDependencies()
    {
        var controls = _controlScopes.ToArray();
        _controlScopes.Clear();
        // ToArray lists a stack top first, so it is pushed back bottom first.
        return new ScopeExit(() =>
        {
            _controlScopes.Clear();
            foreach (var scope in controls.Reverse()) _controlScopes.Push(scope);
        });
    }

    private string UniqueName(string name)
    {
        if (!_nameCounts.TryGetValue(name, out int n))
        {
            _nameCounts[name] = 1;
            return name;
        }
        _nameCounts[name] = n + 1;
        return UniqueName($"{name}_{n}");
    }

    private sealed class ScopeExit(Action onExit) : IDisposable
    {
        public void Dispose() => onExit();
    }
}
