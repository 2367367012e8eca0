using Google.Protobuf;
using Onnx;

namespace Flow.Export;

/// <summary>
/// Writes the inference subgraph of a Flow graph as an ONNX model (IR version 8, opset 17): the ops
/// between the input placeholder and the named outputs, each mapped by <see cref="OnnxOpTable"/>, with
/// the variables stored as initializers. Knows no model: what to export is the caller's spec.
/// </summary>
public static class OnnxExporter
{
    public const int Opset = 17;
    private const long IrVersion = 8;

    /// <summary>The serialized ONNX model.</summary>
    /// <exception cref="OnnxExportException">An op has no ONNX mapping, or the subgraph reads another placeholder; the message names the op.</exception>
    public static byte[] Export(OnnxExportSpec spec) => Build(spec).ToByteArray();

    public static void Write(OnnxExportSpec spec, Stream stream) => Build(spec).WriteTo(stream);

    private static ModelProto Build(OnnxExportSpec spec)
    {
        var b = new OnnxGraphBuilder(spec);
        var x = spec.Input;
        if (x.Op.Def != Graph.PlaceholderDef)
            throw new OnnxExportException($"the export input {x.Name} is a {x.Op.Type}, not a placeholder");
        b.Graph.Input.Add(OnnxGraphBuilder.ValueInfo(b.Fresh(spec.InputName), x.DType, x.Shape));
        b.Bind(x, InputAffine(b, spec));
        foreach (var op in Subgraph(spec))
            OnnxOpTable.ByDef[op.Def].Map(b, op);
        foreach (var (name, tensor) in spec.Outputs)
        {
            string output = b.Node("Identity", name, [b.NameOf(tensor)]);
            if (output != name) throw new OnnxExportException($"output name '{name}' is used twice or clashes with the input");
            b.Graph.Output.Add(OnnxGraphBuilder.ValueInfo(name, tensor.DType, tensor.Shape));
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Flow",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = b.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in spec.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    // The exported input, mapped by the spec's affine input scaling (if any) to what the placeholder expects.
    private static string InputAffine(OnnxGraphBuilder b, OnnxExportSpec spec)
    {
        string x = spec.InputName;
        if (spec.InputAffine is not var (scale, shift)) return x;
        var dtype = spec.Input.DType;
        if (scale != 1) x = b.Node("Mul", spec.InputName + "/scaled", [x, b.Scalar(spec.InputName + "/scale", scale, dtype)]);
        if (shift != 0) x = b.Node("Add", spec.InputName + "/shifted", [x, b.Scalar(spec.InputName + "/shift", shift, dtype)]);
        return x;
    }

    // The ops the outputs depend on, back to the input placeholder, in creation (so topological) order.
    // Control inputs are not followed: inference needs only data. A training-only op is followed through
    // its input 0 alone, an op's mode inputs (a training flag) not at all.
    private static List<Operation> Subgraph(OnnxExportSpec spec)
    {
        var reached = new HashSet<Operation>();
        var pending = new Stack<Tensor>(spec.Outputs.Select(o => o.Tensor));
        while (pending.TryPop(out var t))
        {
            var op = t.Op;
            if (t == spec.Input) continue;
            if (op.Def == Graph.PlaceholderDef)
                throw new OnnxExportException($"the outputs depend on placeholder '{op.Name}', which is not the export input '{spec.Input.Op.Name}'");
            if (!OnnxOpTable.ByDef.TryGetValue(op.Def, out var mapping))
                throw new OnnxExportException($"op '{op.Name}' of type {op.Type} has no ONNX mapping");
            if (mapping.OnlyOutput0 && t.Index != 0)
                throw new OnnxExportException($"op '{op.Name}' ({op.Type}) is {(mapping.TrainingOnly ? "training-only" : "exported in inference mode")}, but its output {t.Index} is read");
            if (!reached.Add(op)) continue;
            foreach (var input in mapping.Followed(op)) pending.Push(input);
        }
        return reached.OrderBy(op => op.Id).ToList();
    }
}
