using System.CommandLine;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Cli;

/// <summary>`mnist eval --model FILE`: a saved model's validation and test accuracy, and its test accuracy per digit.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = ShowCommand.ModelOption();
        var device = CommonOptions.Device();
        var data = new CommonOptions.Data();
        var command = new Command("eval", "Measure a saved model on the validation and test sets") { model, device };
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            using var trained = TrainedModel.Load(p.GetValue(model)!, p.GetValue(device));
            var sets = data.Read(p).Load(trained.Model.Scaling, 0, s => Console.Error.WriteLine(s));
            var e = ModelEvaluation.Run(trained, sets);
            Console.WriteLine($"model: {e.Model}");
            Console.WriteLine($"per digit: {string.Join("  ", e.TestAccuracyPerClass.Select((a, c) => $"{c}:{a:F3}"))}");
            Console.WriteLine($"validation accuracy: {e.ValidationAccuracy:F4}");
            Console.WriteLine($"test accuracy: {e.TestAccuracy:F4}");
            return 0;
        }));
        return command;
    }
}
