using System.Globalization;
using Mnist.Data;
using Mnist.Inspect;
using Mnist.Models;
using Mnist.Reports;

namespace Mnist.Training;

/// <summary>
/// Fills a run folder once training is done: the model file, the logged metrics, the curves, the test
/// set's confusion matrix and predictions, softmax's weight maps, and last the report page linking them.
/// </summary>
public static class RunArtifacts
{
    public const string ModelFileName = "model.safetensors";
    public const string ConfusionFileName = "confusion_matrix.png";
    public const string PredictionsFileName = "predictions.png";
    public const string WeightsFileName = "weights.png";

    public static void Write(string folder, TrainedModel trained, DataSets data, IReadOnlyList<StepMetrics> metrics, TrainResult result)
    {
        string name = trained.Model.Name;
        Directory.CreateDirectory(folder);
        var parameters = trained.Parameters();
        ModelFile.Save(Path.Combine(folder, ModelFileName), name, trained.Settings.Describe(), parameters);
        MetricsLog.Write(Path.Combine(folder, MetricsLog.FileName), metrics);
        Curves.WriteTraining(folder, MetricsLog.Curves(metrics));

        var test = data.Test;
        ConfusionMatrix.Write(Path.Combine(folder, ConfusionFileName), ConfusionMatrix.Count(test.Labels, result.TestPredictions),
            $"{name}: confusion matrix on {test.NumExamples} test images");
        ModelPictures.Predictions(Path.Combine(folder, PredictionsFileName), test, result.TestPredictions,
            DigitGrid.DefaultRows, DigitGrid.DefaultColumns, onlyMistakes: false, trained.Settings.Seed);
        if (ModelPictures.PixelWeights(parameters) is not null)
            ModelPictures.Weights(Path.Combine(folder, WeightsFileName), name, parameters);

        RunSummary.Of(name, trained.Settings.Describe(), result).Write(folder);
        ReportHtml.Write(folder, new RunReport($"mnist train --model {name}", trained.Settings.Describe(), Results(result)));
    }

    private static Dictionary<string, string> Results(TrainResult r)
    {
        var c = CultureInfo.InvariantCulture;
        return new()
        {
            ["test accuracy"] = r.TestAccuracy.ToString("F4", c),
            ["validation accuracy"] = r.ValidationAccuracy.ToString("F4", c),
            ["steps"] = r.Steps.ToString(c),
            ["train seconds"] = r.TrainSeconds.ToString("F2", c),
            ["images/s"] = r.ImagesPerSecond.ToString("F0", c),
        };
    }
}
