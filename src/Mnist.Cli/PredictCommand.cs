using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mnist.Predict;

namespace Mnist.Cli;

/// <summary>
/// `mnist predict --model FILE IMAGE... [--json] [--top K] [--save-input DIR] [--device cpu]`: the digit in each picture;
/// --model repeated predicts with the ensemble's averaged probabilities.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = ShowCommand.ModelsOption();
        var images = new Argument<string[]>("images") { Description = "PNG, JPEG, BMP or WebP pictures of one digit each", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "One JSON object per file instead of a line of text" };
        var top = CommonOptions.Positive("--top", "How many digits to list per file, most likely first (default 3, at most 10)");
        var device = CommonOptions.Device();
        var saveInput = new Option<string?>("--save-input") { Description = "Folder to write each 28×28 model input to (<name>.28x28.png)" };
        var command = new Command("predict", "Predict the digit in your own pictures, preprocessed as MNIST was made") { model, images, json, top, saveInput, device };
        command.SetAction(p => CliErrors.Guard(() =>
        {
            int k = Math.Min(p.GetValue(top) ?? 3, 10);
            using var ensemble = Ensemble.Load(p.GetValue(model)!, p.GetValue(device));
            var predictor = new DigitPredictor(ensemble.Models);
            string? dir = p.GetValue(saveInput);
            if (dir is not null) Directory.CreateDirectory(dir);
            int failed = 0;
            foreach (var r in PicturePredictions.Run(p.GetValue(images)!, predictor, dir))
            {
                if (r.Prediction is not { } prediction)
                {
                    Console.Error.WriteLine($"error: {r.File}: {r.Error}");
                    failed++;
                    continue;
                }
                var ranked = prediction.Ranked.Take(k).ToArray();
                Console.WriteLine(p.GetValue(json) ? Json(r.File, ranked) : Line(r.File, ranked));
            }
            return failed == 0 ? 0 : 1;
        }));
        return command;
    }

    // digit.png: 7 (97.3%)  then 1 (1.9%), 9 (0.4%)
    private static string Line(string file, (int Digit, float Probability)[] ranked)
    {
        static string Entry((int Digit, float Probability) e) => string.Create(CultureInfo.InvariantCulture, $"{e.Digit} ({100 * e.Probability:F1}%)");
        string rest = ranked.Length > 1 ? "  then " + string.Join(", ", ranked.Skip(1).Select(Entry)) : "";
        return $"{file}: {Entry(ranked[0])}{rest}";
    }

    private static string Json(string file, (int Digit, float Probability)[] ranked) => JsonSerializer.Serialize(new
    {
        file,
        digit = ranked[0].Digit,
        probability = ranked[0].Probability,
        top = ranked.Select(e => new { digit = e.Digit, probability = e.Probability }),
    });
}
