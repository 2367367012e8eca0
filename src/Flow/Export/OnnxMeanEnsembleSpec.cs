namespace Flow.Export;

/// <summary>
/// Several Flow graphs exported as one ONNX graph that averages them: every member reads the one shared
/// input (each through its own <see cref="OnnxExportSpec.InputAffine"/>) and has exactly one output, and
/// the graph's output <see cref="MeanName"/> is their element-wise mean (ONNX <c>Mean</c>). Each member's
/// initializers and nodes are named under <c>member{i}/</c>, so members of the same architecture do not clash.
/// </summary>
public sealed record OnnxMeanEnsembleSpec
{
    /// <summary>The members, in order; they share <see cref="OnnxExportSpec.InputName"/>, the input's type and shape, and their output's.</summary>
    public required IReadOnlyList<OnnxExportSpec> Members { get; init; }
    /// <summary>The exported name of the mean of the members' outputs.</summary>
    public required string MeanName { get; init; }
    /// <summary>
    /// If set, a second output: the natural log of the mean (for averaged probabilities, the ensemble's
    /// logits: their softmax is the mean again, and their argmax the mean's). Listed before the mean.
    /// </summary>
    public string? LogMeanName { get; init; }
    public string GraphName { get; init; } = "ensemble";
    /// <summary>Free-form key/value pairs stored as the model's <c>metadata_props</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
