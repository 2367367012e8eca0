using System.CommandLine;
using Mnist.Models;

namespace Mnist.Cli;

/// <summary>`mnist export --model FILE [--out FILE.onnx]`: the model as ONNX, for ONNX Runtime and other tools.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = ShowCommand.ModelOption();
        var output = new Option<string?>("--out") { Description = "The ONNX file to write (default: the model file with .onnx)" };
        var command = new Command("export", "Write a saved model as an ONNX file (opset 17): input x [N, 784] in [0, 1], outputs logits and probabilities [N, 10]")
        {
            model, output,
        };
        command.SetAction(p => CliErrors.Guard(() =>
        {
            string file = p.GetValue(model)!;
            string path = p.GetValue(output) ?? Path.ChangeExtension(file, ".onnx");
            using var trained = TrainedModel.Load(file);
            OnnxModelExport.Write(trained, path);
            Console.WriteLine($"wrote {path}: the {trained.Model.Name} model as ONNX (opset {Flow.Export.OnnxExporter.Opset}), input x [N, 784], outputs logits and probabilities [N, 10]");
            return 0;
        }));
        return command;
    }
}
