namespace Flow.Export;

/// <summary>
/// What to export: the inference subgraph from one input placeholder to named outputs, the values of
/// the variables it reads, and the model's description.
/// </summary>
public sealed record OnnxExportSpec
{
    /// <summary>The placeholder the exported model's input feeds; any other placeholder reached is an error.</summary>
    public required Tensor Input { get; init; }
    public string InputName { get; init; } = "x";
    /// <summary>
    /// An affine map applied to the exported input before it reaches <see cref="Input"/>: input = x·Scale + Shift.
    /// It moves a caller's own input scaling (e.g. pixels in [−0.5, 0.5]) into the exported graph.
    /// </summary>
    public (double Scale, double Shift)? InputAffine { get; init; }
    /// <summary>The graph outputs by their exported names, in order.</summary>
    public required IReadOnlyList<(string Name, Tensor Tensor)> Outputs { get; init; }
    /// <summary>The current value of each variable the subgraph reads (e.g. <c>session.GetValue</c>).</summary>
    public required Func<Variable, HostTensor> VariableValue { get; init; }
    public string GraphName { get; init; } = "flow";
    /// <summary>Free-form key/value pairs stored as the model's <c>metadata_props</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>The graph cannot be exported: an op with no ONNX mapping, a stray placeholder, a shape ONNX needs but the graph leaves unknown.</summary>
public sealed class OnnxExportException(string message) : Exception(message);
