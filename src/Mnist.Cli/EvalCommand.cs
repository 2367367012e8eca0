using System.CommandLine;
using System.Globalization;
using Mnist.Data;
using Mnist.Models;
using Mnist.Predict;
using Mnist.Training;
using Spectre.Console;

namespace Mnist.Cli;

/// <summary>
/// `mnist eval --model FILE`: a saved model's validation and test accuracy, and its test accuracy per class,
/// on the model's data set unless --dataset says otherwise. `--model A --model B ...`: the same for the
/// ensemble averaging their probabilities, after a table of each model's and the ensemble's accuracies.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = ShowCommand.ModelsOption();
        var device = CommonOptions.Device();
        var data = new CommonOptions.Data();
        var command = new Command("eval", "Measure a saved model, or an ensemble of several, on the validation and test sets") { model, device };
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            var files = p.GetValue(model)!;
            return files.Length == 1 ? Single(files[0], p.GetValue(device), data.Read(p)) : Several(files, p.GetValue(device), data.Read(p));
        }));
        return command;
    }

    private static int Single(string file, string? device, DataOptions data)
    {
        using var trained = TrainedModel.Load(file, device);
        var sets = data.OrDataSet(trained.Settings.DataSet).Load(trained.Model.Scaling, 0, s => Console.Error.WriteLine(s));
        var e = ModelEvaluation.Run(trained, sets);
        Console.WriteLine($"model: {e.Model}");
        Console.WriteLine($"data set: {sets.DataSet.Title}");
        PrintAccuracies(e, sets.Test.ClassNames);
        return 0;
    }

    private static int Several(string[] files, string? device, DataOptions data)
    {
        using var ensemble = Ensemble.Load(files, device);
        // Read in [0, 1]; each member rescales to its own pixel scaling.
        var sets = data.OrDataSet(ensemble.DataSet).Load(PixelScaling.ZeroToOne, 0, s => Console.Error.WriteLine(s));
        var e = EnsembleEvaluation.Run(ensemble, sets);
        Console.WriteLine($"model: {e.Ensemble.Model} ({string.Join(", ", e.Members.Select(m => m.Model))}), the mean of their probabilities");
        Console.WriteLine($"data set: {sets.DataSet.Title}");
        var table = new Table().AddColumns("model", "file", "validation accuracy", "test accuracy");
        table.Columns[2].RightAligned();
        table.Columns[3].RightAligned();
        foreach (var m in e.Members) AddRow(table, m.Model, m.File, m.ValidationAccuracy, m.TestAccuracy);
        AddRow(table, "ensemble", "mean of the above", e.Ensemble.ValidationAccuracy, e.Ensemble.TestAccuracy);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        // A pipe or file has no width: Spectre would assume 80 columns and wrap the files' paths.
        if (Console.IsOutputRedirected) console.Profile.Width = 1000;
        console.Write(table);
        PrintAccuracies(e.Ensemble, sets.Test.ClassNames);
        return 0;
    }

    private static void AddRow(Table table, string model, string file, double validation, double test) =>
        table.AddRow(new Text(model), new Text(file), new Text(F4(validation)), new Text(F4(test)));

    private static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    // The lines scripts read, for one model or the ensemble.
    private static void PrintAccuracies(ModelEvaluation e, IReadOnlyList<string> names)
    {
        Console.WriteLine($"per class: {string.Join("  ", e.TestAccuracyPerClass.Select((a, c) => $"{names[c]}:{a:F3}"))}");
        Console.WriteLine($"validation accuracy: {e.ValidationAccuracy:F4}");
        Console.WriteLine($"test accuracy: {e.TestAccuracy:F4}");
    }
}
