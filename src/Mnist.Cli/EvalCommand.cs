using System.CommandLine;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Cli;

/// <summary>`mnist eval --model FILE`: a saved model's validation and test accuracy, and its test accuracy per class,
/// on the model's data set unless --dataset says otherwise.</summary>
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
            var sets = data.Read(p).OrDataSet(trained.Settings.DataSet).Load(trained.Model.Scaling, 0, s => Console.Error.WriteLine(s));
            var e = ModelEvaluation.Run(trained, sets);
            var names = sets.Test.ClassNames;
            Console.WriteLine($"model: {e.Model}");
            Console.WriteLine($"data set: {sets.DataSet.Title}");
            Console.WriteLine($"per class: {string.Join("  ", e.TestAccuracyPerClass.Select((a, c) => $"{names[c]}:{a:F3}"))}");
            Console.WriteLine($"validation accuracy: {e.ValidationAccuracy:F4}");
            Console.WriteLine($"test accuracy: {e.TestAccuracy:F4}");
            return 0;
        }));
        return command;
    }
}
