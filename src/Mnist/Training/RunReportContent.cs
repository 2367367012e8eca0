using System.Globalization;
using Mnist.Models;
using Mnist.Reports;

namespace Mnist.Training;

/// <summary>
/// What a run's report.html says, in the order a reader wants it: the results, the training curves, the
/// confusion matrix, the accuracy per class, the mistakes, the weights and the projector map, each with
/// a caption in words; the settings last.
/// </summary>
public static class RunReportContent
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="counts">The test set's confusion matrix, [true class, predicted class].</param>
    /// <param name="projected">What the projector's right map shows (its title); null when there is no map.</param>
    /// <param name="classNames">The classes' names for the per-class table (default "0".."9").</param>
    public static RunReport Build(string model, TrainingSettings settings, TrainResult result, TrainingCurves curves, int[,] counts,
        string? projected, IReadOnlyList<string>? classNames = null)
    {
        int classes = counts.GetLength(0);
        classNames ??= Enumerable.Range(0, classes).Select(c => c.ToString(Inv)).ToArray();
        int tested = counts.Cast<int>().Sum();
        int right = Enumerable.Range(0, classes).Sum(c => counts[c, c]);
        int points = curves.Steps.Length, validated = curves.ValidationSteps.Length;

        var sections = new List<ReportSection>
        {
            new("Training curves",
                curves.ConstantLearningRate is double rate
                    ? $"The learning rate was constant at {rate.ToString("R", Inv)} for all {result.Steps} steps (so it is not plotted)."
                    : null,
                Figures:
                [
                    new(Curves.LossFile, $"Cross-entropy loss on the training batch at {points} logged steps of {result.Steps}."),
                    new(Curves.AccuracyFile, validated > 0
                        ? $"Accuracy on the training batch at {points} logged steps, and on the first {result.ValidationImages} validation images at {validated} of them."
                        : $"Accuracy on the training batch at {points} logged steps."),
                    new(Curves.LearningRateFile, $"The learning rate at each logged step, as the recipe's schedule set it."),
                ]),
            new("Confusion matrix", Figures:
            [
                new(RunArtifacts.ConfusionFileName, $"Each of the {tested} test images counted by its true class (row) and the model's guess " +
                    $"(column): the diagonal holds the {right} right, every other cell a kind of mistake. Colours are on a log scale so single mistakes show."),
            ]),
            new("Accuracy per class", Table: PerClassTable(counts, classNames)),
            new("Mistakes", Figures:
            [
                new(RunArtifacts.MistakesFileName, MistakesCaption(tested - right)),
                new(RunArtifacts.PredictionsFileName, "Test images picked at random, titled with the model's guesses; mistakes are framed in red."),
            ]),
            new("Weights", Figures:
            [
                new(RunArtifacts.WeightsFileName, "The weights from each of the 28×28 pixels to each class: ink on a blue pixel " +
                    "counts for the class, on a red one against it; white pixels do not matter."),
            ]),
            new("Projector", Figures:
            [
                new(RunArtifacts.ProjectorFileName, $"t-SNE maps of {RunArtifacts.ProjectorImages} test images, one colour per class: on the left " +
                    $"from their raw pixels, on the right from the model ({projected}). Classes the model tells apart form separate islands. " +
                    $"`mnist show projector --model {RunArtifacts.ModelFileName}` maps more."),
            ]),
        };
        return new RunReport($"mnist train --model {model}", settings.Describe(), Results(result), sections);
    }

    private static string MistakesCaption(int wrong) =>
        (wrong <= RunArtifacts.MistakeCap
            ? $"Every test image the model got wrong ({wrong} in all), in file order"
            : $"The first {RunArtifacts.MistakeCap} of the {wrong} test images the model got wrong, in file order (capped at " +
              $"{RunArtifacts.MistakeCap} so the picture stays readable; `mnist show predictions --wrong` draws others)") +
        ", each titled with the model's guess and, in brackets, the true class.";

    private static ReportTable PerClassTable(int[,] counts, IReadOnlyList<string> classNames)
    {
        var accuracy = ConfusionMatrix.PerClassAccuracy(counts);
        var rows = new List<IReadOnlyList<string>>();
        for (int c = 0; c < accuracy.Length; c++)
        {
            int seen = Enumerable.Range(0, counts.GetLength(1)).Sum(p => counts[c, p]);
            rows.Add([classNames[c], seen.ToString(Inv), counts[c, c].ToString(Inv), seen == 0 ? "-" : accuracy[c].ToString("F4", Inv)]);
        }
        return new ReportTable(["class", "test images", "right", "accuracy"], rows);
    }

    private static Dictionary<string, string> Results(TrainResult r) => new()
    {
        ["test accuracy"] = r.TestAccuracy.ToString("F4", Inv),
        ["validation accuracy"] = r.ValidationAccuracy.ToString("F4", Inv),
        ["steps"] = r.Steps.ToString(Inv),
        ["train seconds"] = r.TrainSeconds.ToString("F2", Inv),
        ["images/s"] = r.ImagesPerSecond.ToString("F0", Inv),
        ["validating during training"] = $"{r.ValidationSeconds.ToString("F2", Inv)} s of the train seconds " +
            $"({(100 * r.ValidationSeconds / Math.Max(r.TrainSeconds, 1e-9)).ToString("F1", Inv)}%)",
    };
}
