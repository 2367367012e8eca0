using Tensorboard;

namespace Flow.Summary;

/// <summary>
/// A Flow graph as TensorFlow's GraphDef, for TensorBoard's Graphs tab: one node per op with our op name
/// (whose "/"-separated parts are TensorBoard's name scopes) and op type, its data and control inputs,
/// its output dtype and its outputs' shapes as built.
/// </summary>
internal static class GraphDefs
{
    public static GraphDef From(Graph graph)
    {
        var def = new GraphDef { Versions = new VersionDef { Producer = 1 } };
        foreach (var op in graph.Operations)
        {
            var node = new NodeDef { Name = op.Name, Op = op.Type };
            foreach (var t in op.Inputs) node.Input.Add(t.Index == 0 ? t.Op.Name : $"{t.Op.Name}:{t.Index}");
            foreach (var c in op.ControlInputs) node.Input.Add("^" + c.Name);
            if (op.Outputs.Count > 0)
            {
                node.Attr["T"] = new AttrValue { Type = DataTypeOf(op.Outputs[0].DType) };
                var shapes = new AttrValue.Types.ListValue();
                foreach (var output in op.Outputs) shapes.Shape.Add(ShapeOf(output.Shape));
                node.Attr["_output_shapes"] = new AttrValue { List = shapes };
            }
            def.Node.Add(node);
        }
        return def;
    }

    private static TensorShapeProto ShapeOf(Shape shape)
    {
        var proto = new TensorShapeProto();
        foreach (int d in shape.Dims) proto.Dim.Add(new TensorShapeProto.Types.Dim { Size = d });
        return proto;
    }

    private static DataType DataTypeOf(DType dtype) => dtype switch
    {
        DType.Float32 => DataType.DtFloat,
        DType.Float64 => DataType.DtDouble,
        DType.Int32 => DataType.DtInt32,
        DType.Bool => DataType.DtBool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no TensorFlow DataType"),
    };
}
