using Flow;
using Flow.Export;
using Mnist.IO;

namespace Mnist.Models;

/// <summary>
/// A trained model, or an ensemble of them, as an ONNX file: input <c>x</c> float32 [N, 784] in [0, 1] as
/// read_data_sets gives them (each model's own pixel scaling moves inside the graph), outputs <c>logits</c>
/// and <c>probabilities</c> [N, 10]; the model's name, data set and recipe in <c>metadata_props</c>.
/// An ensemble's probabilities are the mean of its members' softmaxes and its logits their log, so
/// softmax(logits) and argmax(logits) are the ensemble's probabilities and guess, as for one model.
/// </summary>
public static class OnnxModelExport
{
    public const string Input = "x", Logits = "logits", Probabilities = "probabilities";

    /// <summary>The export spec; adds the softmax that gives <c>probabilities</c> to the model's graph.</summary>
    public static OnnxExportSpec Spec(TrainedModel trained)
    {
        var metadata = Description(trained.Model.Name, trained.Model.Description);
        foreach (var (key, value) in trained.Settings.Describe()) metadata["training." + key] = value;
        return Member(trained, withLogits: true) with { Metadata = metadata };
    }

    /// <summary>The spec of the models' mean: each member's softmax under <c>member{i}/</c>, then their mean and its log.</summary>
    public static OnnxMeanEnsembleSpec Spec(IReadOnlyList<TrainedModel> members)
    {
        string names = string.Join(", ", members.Select(m => m.Model.Name));
        var metadata = Description("ensemble", $"the mean of the softmax probabilities of {members.Count} models ({names}); logits = log of the mean");
        metadata["members"] = names;
        for (int i = 0; i < members.Count; i++)
            foreach (var (key, value) in members[i].Settings.Describe()) metadata[$"member{i}.training.{key}"] = value;
        return new OnnxMeanEnsembleSpec
        {
            Members = members.Select(m => Member(m, withLogits: false)).ToArray(),
            MeanName = Probabilities,
            LogMeanName = Logits,
            GraphName = "ensemble",
            Metadata = metadata,
        };
    }

    /// <summary>Writes the model to <paramref name="path"/> (under a temporary name, then renamed).</summary>
    public static OnnxExportSpec Write(TrainedModel trained, string path)
    {
        var spec = Spec(trained);
        Write(path, OnnxExporter.Export(spec));
        return spec;
    }

    /// <summary>Writes the ensemble of <paramref name="members"/> to <paramref name="path"/> as one graph.</summary>
    public static OnnxMeanEnsembleSpec Write(IReadOnlyList<TrainedModel> members, string path)
    {
        var spec = Spec(members);
        Write(path, OnnxExporter.Export(spec));
        return spec;
    }

    private static void Write(string path, byte[] bytes) => AtomicFile.Write(path, s => s.Write(bytes));

    // The model's graph from x in [0, 1] (its pixel scaling inside) to its probabilities, after its logits if asked.
    private static OnnxExportSpec Member(TrainedModel trained, bool withLogits)
    {
        var g = trained.Graph;
        var (scale, shift) = PixelAffine.FromUnit(trained.Model.Scaling);
        var probabilities = (Probabilities, Tf.Softmax(g.Logits));
        return new OnnxExportSpec
        {
            Input = g.Images,
            InputName = Input,
            InputAffine = scale == 1 && shift == 0 ? null : (scale, shift),
            Outputs = withLogits ? [(Logits, g.Logits), probabilities] : [probabilities],
            VariableValue = trained.Session.GetValue,
            GraphName = trained.Model.Name,
        };
    }

    private static Dictionary<string, string> Description(string model, string description) => new()
    {
        ["model"] = model,
        ["description"] = description,
        ["dataset"] = "MNIST",
        ["input"] = $"{Input}: float32 [N, 784], 28×28 pixels row by row in [0, 1], white ink on black (read_data_sets)",
        ["outputs"] = $"{Logits}, {Probabilities}: float32 [N, 10], digits 0-9",
    };
}
