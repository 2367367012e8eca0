using Mnist.Data;
using Mnist.Inspect;
using Mnist.Models;
using Mnist.Reports;

namespace Mnist.Training;

/// <summary>
/// Fills a run folder once training is done: the model file, the logged metrics, the curves, the test
/// set's confusion matrix, predictions and mistakes, softmax's weight maps, a t-SNE projector map, and
/// last the report page showing them all (see <see cref="RunReportContent"/>).
/// </summary>
public static class RunArtifacts
{
    public const string ModelFileName = "model.safetensors";
    public const string ConfusionFileName = "confusion_matrix.png";
    public const string PredictionsFileName = "predictions.png";
    public const string MistakesFileName = "mistakes.png";
    public const string WeightsFileName = "weights.png";
    public const string ProjectorFileName = "projector.png";
    /// <summary>Test images on the run's projector map: t-SNE is O(n²), and 500 take about a second.</summary>
    public const int ProjectorImages = 500;
    /// <summary>
    /// Rows of mistakes shown at most (of <see cref="DigitGrid.DefaultColumns"/> each): 300 digits, every
    /// mistake of a model above 97%, while the picture stays one readable page (a 92% softmax has ~800).
    /// </summary>
    public const int MistakeRows = 20;
    public const int MistakeCap = MistakeRows * DigitGrid.DefaultColumns;

    public static void Write(string folder, TrainedModel trained, DataSets data, IReadOnlyList<StepMetrics> metrics, TrainResult result)
    {
        string name = trained.Model.Name;
        Directory.CreateDirectory(folder);
        var parameters = trained.Parameters();
        ModelFile.Save(Path.Combine(folder, ModelFileName), name, trained.Settings.Describe(), parameters);
        MetricsLog.Write(Path.Combine(folder, MetricsLog.FileName), metrics);
        var curves = MetricsLog.Curves(metrics, result.ValidationImages);
        Curves.WriteTraining(folder, curves);

        var test = data.Test;
        var counts = ConfusionMatrix.Count(test.Labels, result.TestPredictions);
        ConfusionMatrix.Write(Path.Combine(folder, ConfusionFileName), counts,
            $"{name}: confusion matrix on {test.NumExamples} {data.DataSet.Title} test images", classNames: test.ClassNames);
        int seed = trained.Settings.Seed;
        string testImages = $"{data.DataSet.Title} test images";
        ModelPictures.Predictions(Path.Combine(folder, PredictionsFileName), name, test, result.TestPredictions,
            DigitGrid.DefaultRows, DigitGrid.DefaultColumns, onlyMistakes: false, seed, testImages);
        bool anyWrong = result.TestPredictions.Where((guess, i) => guess != test.Labels[i]).Any();
        if (anyWrong)
            // Every mistake up to the cap, in file order, so the picture is the model's list of wrong digits.
            ModelPictures.Predictions(Path.Combine(folder, MistakesFileName), name, test, result.TestPredictions,
                MistakeRows, DigitGrid.DefaultColumns, onlyMistakes: true, seed: null, testImages);
        if (ModelPictures.PixelWeights(parameters) is not null)
            ModelPictures.Weights(Path.Combine(folder, WeightsFileName), name, parameters, data.DataSet.Name);
        string? projected = Projector(Path.Combine(folder, ProjectorFileName), trained, test, seed);

        RunSummary.Of(name, trained.Settings.Describe(), result).Write(folder);
        ReportHtml.Write(folder, RunReportContent.Build(name, trained.Settings, result, curves, counts, projected, test.ClassNames));
    }

    /// <summary>The projector map, or null (and no picture, so the report leaves it out) for a model whose features are not finite.</summary>
    private static string? Projector(string path, TrainedModel trained, DataSet test, int seed)
    {
        try
        {
            return ProjectorPictures.Write(path, trained, test, Math.Min(ProjectorImages, test.NumExamples), seed).FeatureTitle;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
