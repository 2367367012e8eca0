using Flow;
using Flow.Export;
using Mnist.IO;

namespace Mnist.Models;

/// <summary>
/// A trained model as an ONNX file: input <c>x</c> float32 [N, 784] in [0, 1] as read_data_sets gives
/// them (the model's own pixel scaling moves inside the graph), outputs <c>logits</c> and
/// <c>probabilities</c> [N, 10]; the model's name, data set and recipe in <c>metadata_props</c>.
/// </summary>
public static class OnnxModelExport
{
    public const string Input = "x", Logits = "logits", Probabilities = "probabilities";

    /// <summary>The export spec; adds the softmax that gives <c>probabilities</c> to the model's graph.</summary>
    public static OnnxExportSpec Spec(TrainedModel trained)
    {
        var g = trained.Graph;
        var (scale, shift) = PixelAffine.FromUnit(trained.Model.Scaling);
        var metadata = new Dictionary<string, string>
        {
            ["model"] = trained.Model.Name,
            ["description"] = trained.Model.Description,
            ["dataset"] = "MNIST",
            ["input"] = $"{Input}: float32 [N, 784], 28×28 pixels row by row in [0, 1], white ink on black (read_data_sets)",
            ["outputs"] = $"{Logits}, {Probabilities}: float32 [N, 10], digits 0-9",
        };
        foreach (var (key, value) in trained.Settings.Describe()) metadata["training." + key] = value;
        return new OnnxExportSpec
        {
            Input = g.Images,
            InputName = Input,
            InputAffine = scale == 1 && shift == 0 ? null : (scale, shift),
            Outputs = [(Logits, g.Logits), (Probabilities, Tf.Softmax(g.Logits))],
            VariableValue = trained.Session.GetValue,
            GraphName = trained.Model.Name,
            Metadata = metadata,
        };
    }

    /// <summary>Writes the model to <paramref name="path"/> (under a temporary name, then renamed).</summary>
    public static OnnxExportSpec Write(TrainedModel trained, string path)
    {
        var spec = Spec(trained);
        byte[] bytes = OnnxExporter.Export(spec);
        AtomicFile.Write(path, s => s.Write(bytes));
        return spec;
    }
}
