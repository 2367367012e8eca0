using System.CommandLine;
using Mnist.Models;
using Mnist.Predict;

namespace Mnist.Cli;

/// <summary>
/// `mnist export --model FILE [--out FILE.onnx]`: the model as ONNX, for ONNX Runtime and other tools; --model repeated
/// writes the ensemble as one graph whose probabilities are the mean of the models' and whose logits are their log.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = ShowCommand.ModelsOption();
        var output = new Option<string?>("--out") { Description = "The ONNX file to write (default: the (first) model file with .onnx)" };
        var command = new Command("export", "Write a saved model as an ONNX file (opset 17): input x [N, 784] in [0, 1], outputs logits and probabilities [N, 10]")
        {
            model, output,
        };
        command.SetAction(p => CliErrors.Guard(() =>
        {
            var files = p.GetValue(model)!;
            string path = p.GetValue(output) ?? Path.ChangeExtension(files[0], ".onnx");
            using var ensemble = Ensemble.Load(files);
            var models = ensemble.Models;
            string what = models.Count == 1 ? $"the {models[0].Model.Name} model"
                : $"the ensemble of {models.Count} models ({string.Join(", ", models.Select(m => m.Model.Name))}; probabilities their mean, logits its log)";
            if (models.Count == 1) OnnxModelExport.Write(models[0], path);
            else OnnxModelExport.Write(models, path);
            Console.WriteLine($"wrote {path}: {what} as ONNX (opset {Flow.Export.OnnxExporter.Opset}), input x [N, 784], outputs logits and probabilities [N, 10]");
            return 0;
        }));
        return command;
    }
}
