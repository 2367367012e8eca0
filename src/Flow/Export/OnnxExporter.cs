using Google.Protobuf;
using Onnx;

namespace Flow.Export;

/// <summary>
/// Writes the inference subgraph of a Flow graph as an ONNX model (IR version 8, opset 17): the ops
/// between the input placeholder and the named outputs, each mapped by <see cref="OnnxOpTable"/>, with
/// the variables stored as initializers. Several graphs can be written as one averaging ensemble
/// (<see cref="OnnxMeanEnsembleSpec"/>). Knows no model: what to export is the caller's spec.
/// </summary>
public static class OnnxExporter
{
    public const int Opset = 17;
    private const long IrVersion = 8;

    /// <summary>The serialized ONNX model.</summary>
    /// <exception cref="OnnxExportException">An op has no ONNX mapping, or the subgraph reads another placeholder; the message names the op.</exception>
    public static byte[] Export(OnnxExportSpec spec) => Build(spec).ToByteArray();

    /// <summary>The serialized ONNX model of the members' mean.</summary>
    /// <exception cref="OnnxExportException">As <see cref="Export(OnnxExportSpec)"/> for any member, or the members do not fit together.</exception>
    public static byte[] Export(OnnxMeanEnsembleSpec spec) => Build(spec).ToByteArray();

    public static void Write(OnnxExportSpec spec, Stream stream) => Build(spec).WriteTo(stream);

    private static ModelProto Build(OnnxExportSpec spec)
    {
        var b = new OnnxGraphBuilder(spec.GraphName);
        DeclareInput(b, spec);
        var values = EmitMember(b, spec, prefix: "");
        foreach (var ((name, tensor), value) in spec.Outputs.Zip(values))
            DeclareOutput(b, b.Node("Identity", name, [value]), name, tensor);
        return Model(b.Graph, spec.Metadata);
    }

    private static ModelProto Build(OnnxMeanEnsembleSpec spec)
    {
        CheckMembers(spec);
        var first = spec.Members[0];
        var b = new OnnxGraphBuilder(spec.GraphName);
        DeclareInput(b, first);
        string[] outputs = spec.Members.Select((m, i) => EmitMember(b, m, $"member{i}/")[0]).ToArray();
        b.Prefix = "";
        var like = first.Outputs[0].Tensor;
        string mean = b.Node("Mean", spec.MeanName, outputs);
        if (spec.LogMeanName is { } logName) DeclareOutput(b, b.Node("Log", logName, [mean]), logName, like);
        DeclareOutput(b, mean, spec.MeanName, like);
        return Model(b.Graph, spec.Metadata);
    }

    private static void CheckMembers(OnnxMeanEnsembleSpec spec)
    {
        if (spec.Members.Count == 0) throw new OnnxExportException("an ensemble needs at least one member");
        var first = spec.Members[0];
        for (int i = 0; i < spec.Members.Count; i++)
        {
            var m = spec.Members[i];
            if (m.Outputs.Count != 1)
                throw new OnnxExportException($"ensemble member {i} ({m.GraphName}) has {m.Outputs.Count} outputs; the mean needs exactly one from each");
            if (m.InputName != first.InputName || m.Input.DType != first.Input.DType || !m.Input.Shape.Equals(first.Input.Shape))
                throw new OnnxExportException($"ensemble member {i} ({m.GraphName}) reads {m.InputName} {m.Input.DType.Name()} {m.Input.Shape}, " +
                    $"member 0 ({first.GraphName}) {first.InputName} {first.Input.DType.Name()} {first.Input.Shape}: members share one input");
            var (o, o0) = (m.Outputs[0].Tensor, first.Outputs[0].Tensor);
            if (o.DType != o0.DType || !o.Shape.Equals(o0.Shape))
                throw new OnnxExportException($"ensemble member {i} ({m.GraphName}) outputs {o.DType.Name()} {o.Shape}, member 0 {o0.DType.Name()} {o0.Shape}: the mean needs one shape");
        }
    }

    private static void DeclareInput(OnnxGraphBuilder b, OnnxExportSpec spec)
    {
        var x = spec.Input;
        if (x.Op.Def != Graph.PlaceholderDef)
            throw new OnnxExportException($"the export input {x.Name} is a {x.Op.Type}, not a placeholder");
        b.Graph.Input.Add(OnnxGraphBuilder.ValueInfo(b.Fresh(spec.InputName), x.DType, x.Shape));
    }

    private static void DeclareOutput(OnnxGraphBuilder b, string value, string name, Tensor like)
    {
        if (value != name) throw new OnnxExportException($"output name '{name}' is used twice or clashes with the input");
        b.Graph.Output.Add(OnnxGraphBuilder.ValueInfo(name, like.DType, like.Shape));
    }

    // One Flow graph's nodes, from the graph input (already declared) to its outputs: returns their ONNX names.
    private static string[] EmitMember(OnnxGraphBuilder b, OnnxExportSpec spec, string prefix)
    {
        b.BeginMember(spec, prefix);
        b.Bind(spec.Input, InputAffine(b, spec));
        foreach (var op in Subgraph(spec))
            OnnxOpTable.ByDef[op.Def].Map(b, op);
        return spec.Outputs.Select(o => b.NameOf(o.Tensor)).ToArray();
    }

    private static ModelProto Model(GraphProto graph, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Flow",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
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
