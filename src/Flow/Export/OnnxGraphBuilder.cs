using Google.Protobuf;
using Onnx;

namespace Flow.Export;

/// <summary>
/// Accumulates one ONNX graph: the name each Flow tensor has in it, nodes, and initializers. The op
/// mappings (<see cref="OnnxOpTable"/>) read their inputs' names here and bind their outputs.
/// </summary>
/// <remarks>
/// One ONNX graph may hold several Flow graphs (an ensemble's members): <see cref="BeginMember"/> starts the
/// next, whose tensor names are its own and whose new value names all carry its prefix, so the members'
/// initializers and nodes never clash.
/// </remarks>
internal sealed class OnnxGraphBuilder(string graphName)
{
    private readonly Dictionary<Tensor, string> _names = [];
    private readonly HashSet<string> _used = [];
    private OnnxExportSpec? _spec;

    public GraphProto Graph { get; } = new() { Name = graphName };
    /// <summary>The spec of the Flow graph being emitted (its variables' values).</summary>
    public OnnxExportSpec Spec => _spec ?? throw new InvalidOperationException("no member graph begun");
    /// <summary>What <see cref="Fresh"/> puts before every name: "" for the graph's own inputs and outputs.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Starts emitting the Flow graph of <paramref name="spec"/>, its new names prefixed by <paramref name="prefix"/>.</summary>
    public void BeginMember(OnnxExportSpec spec, string prefix)
    {
        _spec = spec;
        _names.Clear();
        Prefix = prefix;
    }

    /// <summary>The ONNX name of input <paramref name="i"/> of <paramref name="op"/> (already emitted: ops come in topological order).</summary>
    public string In(Operation op, int i) => _names[op.Inputs[i]];

    public void Bind(Tensor t, string name) => _names[t] = name;

    public string NameOf(Tensor t) => _names[t];

    /// <summary>A fresh value name derived from <paramref name="hint"/>, with the current <see cref="Prefix"/>.</summary>
    public string Fresh(string hint) => Unique(Prefix + hint);

    private string Unique(string hint)
    {
        string name = hint;
        for (int n = 1; !_used.Add(name); n++) name = $"{hint}_{n}";
        return name;
    }

    /// <summary>Adds a node and returns the name of its (single) output.</summary>
    public string Node(string opType, string outputHint, string[] inputs, params AttributeProto[] attrs)
    {
        string output = Fresh(outputHint);
        var node = new NodeProto { OpType = opType, Name = Unique("node/" + output) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attrs);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Stores a value as an initializer and returns its name.</summary>
    public string Initializer(string hint, HostTensor value)
    {
        var t = new TensorProto { Name = Fresh(hint), DataType = (int)ElementType(value.DType), RawData = ByteString.CopyFrom(value.AsBytes()) };
        t.Dims.AddRange(value.Shape.ToArray().Select(d => (long)d));
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>A rank-1 int64 initializer (Reshape's target shape).</summary>
    public string Int64s(string hint, long[] values)
    {
        var t = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>A float scalar initializer of the tensor's type.</summary>
    public string Scalar(string hint, double value, DType dtype) => Initializer(hint, dtype switch
    {
        DType.Float32 => HostTensor.Scalar((float)value),
        DType.Float64 => HostTensor.Scalar(value),
        _ => throw new OnnxExportException($"no {dtype.Name()} scalar for {hint}"),
    });

    /// <summary>The graph input or output declaration of a tensor: type and shape, an unknown leading axis named N.</summary>
    public static ValueInfoProto ValueInfo(string name, DType dtype, Shape shape)
    {
        var dims = new TensorShapeProto();
        for (int axis = 0; axis < shape.Rank; axis++)
        {
            var d = new TensorShapeProto.Types.Dimension();
            if (shape[axis] != Shape.Unknown) d.DimValue = shape[axis];
            else if (axis == 0) d.DimParam = "N";
            dims.Dim.Add(d);
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)ElementType(dtype), Shape = dims } },
        };
    }

    public static TensorProto.Types.DataType ElementType(DType dtype) => dtype switch
    {
        DType.Float32 => TensorProto.Types.DataType.Float,
        DType.Float64 => TensorProto.Types.DataType.Double,
        DType.Int32 => TensorProto.Types.DataType.Int32,
        DType.Bool => TensorProto.Types.DataType.Bool,
        _ => throw new OnnxExportException($"no ONNX element type for {dtype.Name()}"),
    };

    public static AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attr(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }
}
