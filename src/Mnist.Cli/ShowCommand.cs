using System.CommandLine;
using Mnist.Data;
using Mnist.Inspect;
using Mnist.Models;
using Mnist.Reports;
using Mnist.Training;

namespace Mnist.Cli;

/// <summary>`mnist show ...`: pictures of the data and of trained models, each written as a PNG whose path is printed.</summary>
internal static class ShowCommand
{
    public static Command Create() => new("show", "Draw pictures of the data and of trained models (PNG files)")
    {
        Samples(), Digit(), Augmented(), Weights(), Predictions(), Probabilities(), Projector(),
    };

    private static Command Samples()
    {
        var count = CommonOptions.Positive("--count", "How many digits (default 180)");
        var seed = NumberOptions.Integer("--seed", "Pick digits at random with this seed (default: the first ones in file order)");
        return Picture("samples", "A grid of training digits titled with their labels", "samples.png", [count, seed], (p, data, output, note) =>
        {
            var train = data.Load(PixelScaling.ZeroToOne, 0, note).Train;
            DataPictures.Samples(output, train, p.GetValue(count) ?? 180, p.GetValue(seed));
            return [];
        });
    }

    private static Command Digit()
    {
        var index = NumberOptions.NonNegativeArgument("index", "Which digit, counting from 0");
        var test = new Option<bool>("--test") { Description = "From the test set (default: the training set)" };
        var command = Picture("digit", "One digit, large, with its pixel values and one-hot label", "digit.png", [test], (p, data, output, note) =>
        {
            var sets = data.Load(PixelScaling.ZeroToOne, 0, note);
            var view = p.GetValue(test)
                ? DataPictures.Digit(output, sets.Test, p.GetValue(index), "test")
                : DataPictures.Digit(output, sets.Train, p.GetValue(index), "training");
            // MNIST's class names are its labels; other data sets' names follow the label.
            string name = sets.Test.ClassNames[view.Label], label = name == $"{view.Label}" ? name : $"{view.Label} ({name})";
            return [view.Text.TrimEnd('\n'), $"label: {label}  one-hot: {view.OneHot}"];
        });
        command.Add(index);
        return command;
    }

    private static Command Augmented()
    {
        var index = NumberOptions.Integer("--index", "Which training digit, counting from 0 (default 0)", min: 0);
        var count = NumberOptions.Integer("--count", "Tiles: the original and count − 1 distortions (default 36)", min: 1, max: AugmentedPictures.MaxCount);
        var seed = NumberOptions.Integer("--seed", "The run seed whose distortions to show (default 1, the recipes' seed)");
        return Picture("augmented", "One training digit and random affine distortions of it, as `train --augment` makes them",
            "augmented.png", [index, count, seed], (p, data, output, note) =>
        {
            var train = data.Load(PixelScaling.ZeroToOne, 0, note).Train;
            int n = p.GetValue(count) ?? 36, i = p.GetValue(index) ?? 0;
            if (i >= train.NumExamples)
                throw new ArgumentException($"--index {i} is out of range: the training set has {train.NumExamples} images (0..{train.NumExamples - 1})");
            AugmentedPictures.Write(output, train, i, n, p.GetValue(seed) ?? 1);
            return [$"the original and {n - 1} distortions: shift up to ±{AffineDistortion.MaxShift} px, rotation up to ±{AffineDistortion.MaxRotationDegrees}°, scale {AffineDistortion.MinScale}–{AffineDistortion.MaxScale}"];
        });
    }

    private static Command Weights()
    {
        var model = ModelOption();
        return Picture("weights", "A softmax model's ten weight maps (blue: for the class, red: against)", "weights.png", [model], (p, _, output, _) =>
        {
            using var trained = TrainedModel.Load(p.GetValue(model)!);
            ModelPictures.Weights(output, trained.Model.Name, trained.Parameters(), trained.Settings.DataSet);
            return [];
        });
    }

    private static Command Predictions()
    {
        var model = ModelOption();
        var device = CommonOptions.Device();
        var wrong = new Option<bool>("--wrong") { Description = "Only the model's mistakes" };
        var rows = CommonOptions.Positive("--rows", $"Rows of the grid (default {DigitGrid.DefaultRows})");
        var columns = CommonOptions.Positive("--columns", $"Columns of the grid (default {DigitGrid.DefaultColumns})");
        var seed = SeedOption();
        return Picture("predictions", "Random test digits titled with the model's guesses, mistakes framed in red", "predictions.png",
            [model, device, wrong, rows, columns, seed], (p, data, output, note) =>
        {
            using var trained = TrainedModel.Load(p.GetValue(model)!, p.GetValue(device));
            var sets = data.OrDataSet(trained.Settings.DataSet).Load(trained.Model.Scaling, 0, note);
            var test = sets.Test;
            var predictions = Evaluator.Predict(trained.Session, trained.Graph, test, trained.Settings.EvalBatchSize);
            ModelPictures.Predictions(output, trained.Model.Name, test, predictions, p.GetValue(rows) ?? DigitGrid.DefaultRows,
                p.GetValue(columns) ?? DigitGrid.DefaultColumns, p.GetValue(wrong), p.GetValue(seed) ?? 0, $"{sets.DataSet.Title} test images");
            int mistakes = predictions.Where((guess, i) => guess != test.Labels[i]).Count();
            return [$"{mistakes} mistakes on {test.NumExamples} test images"];
        });
    }

    private static Command Probabilities()
    {
        var model = ModelOption();
        var device = CommonOptions.Device();
        var index = NumberOptions.Integer("--index", "Which test image, counting from 0", min: 0);
        index.Required = true;
        return Picture("probabilities", "One test image's softmax probabilities as bars", "probabilities.png", [model, device, index], (p, data, output, note) =>
        {
            using var trained = TrainedModel.Load(p.GetValue(model)!, p.GetValue(device));
            var test = data.OrDataSet(trained.Settings.DataSet).Load(trained.Model.Scaling, 0, note).Test;
            var view = ModelPictures.Probabilities(output, trained, test, p.GetValue(index)!.Value);
            var names = test.ClassNames;
            return [$"predicted {names[view.Predicted]}, true {names[view.Label]}",
                $"probabilities: {string.Join("  ", view.Probabilities.Select((v, c) => $"{names[c]}:{v:F3}"))}"];
        });
    }

    private static Command Projector()
    {
        var model = ModelOption();
        var device = CommonOptions.Device();
        var count = CommonOptions.Positive("--count", "Test images to map (default 2000; t-SNE takes O(count²) time and memory)");
        var seed = SeedOption();
        return Picture("projector", "t-SNE maps of test images side by side: raw pixels, and what the model's output layer reads",
            "projector.png", [model, device, count, seed], (p, data, output, note) =>
        {
            using var trained = TrainedModel.Load(p.GetValue(model)!, p.GetValue(device));
            var test = data.OrDataSet(trained.Settings.DataSet).Load(trained.Model.Scaling, 0, note).Test;
            var (_, featureTitle) = ProjectorPictures.Write(output, trained, test, p.GetValue(count) ?? 2000, p.GetValue(seed) ?? 0);
            return [$"left: raw pixels; right: {featureTitle}"];
        });
    }

    internal static Option<string> ModelOption() => new("--model")
    {
        Description = "Model file written by `mnist train` (model.safetensors in its run folder)",
        Required = true,
    };

    /// <summary>--model repeated: one model file, or several for an ensemble that averages their probabilities.</summary>
    internal static Option<string[]> ModelsOption() => new("--model")
    {
        Description = "Model file written by `mnist train`; repeat it for an ensemble, which averages the models' probabilities",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    private static Option<int?> SeedOption() => NumberOptions.Integer("--seed", "Seed for picking test images at random (default 0)");

    /// <summary>
    /// A `show` subcommand: the options, --out (defaulting to <paramref name="defaultFile"/>) and the data
    /// options; its action draws under a spinner, then prints the lines it returns and the picture's path.
    /// </summary>
    private static Command Picture(string name, string description, string defaultFile, Option[] options,
        Func<ParseResult, DataOptions, string, Action<string>, IReadOnlyList<string>> draw)
    {
        var output = new Option<string>("--out") { Description = "PNG file to write", DefaultValueFactory = _ => defaultFile };
        var data = new CommonOptions.Data();
        var command = new Command(name, description);
        foreach (var option in options) command.Add(option);
        command.Add(output);
        data.AddTo(command);
        command.SetAction(p => CliErrors.Guard(() =>
        {
            string path = p.GetValue(output)!;
            OutputPaths.CheckWritable("--out", path);   // before the drawing, which can take a while (t-SNE)
            var lines = ConsoleProgress.Spinner($"drawing {name}", note => draw(p, data.Read(p), path, note));
            foreach (var line in lines) Console.WriteLine(line);
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
