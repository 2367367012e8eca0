using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mnist.IO;
using Mnist.Reports;

namespace Mnist.Training;

/// <summary>The logged steps of a run: <c>metrics.jsonl</c>, one JSON object per line, and the curves drawn from them.</summary>
public static class MetricsLog
{
    public const string FileName = "metrics.jsonl";

    // A diverged run logs NaN losses; they are written as "NaN" rather than failing the whole file.
    // Values are written as float32, the precision they were computed in: 0.07, not 0.07000000029802322.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Write(string path, IEnumerable<StepMetrics> steps)
    {
        var text = new StringBuilder();
        foreach (var m in steps) text.Append(Line(m));
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// Adds one step to the file while training runs, so the web app's runs page can follow it; each line is
    /// written whole and flushed (readers ignore a last line without its newline). <see cref="Write"/> replaces
    /// the file with the same lines at the end.
    /// </summary>
    public static void Append(string path, StepMetrics m)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(Encoding.UTF8.GetBytes(Line(m)));
    }

    private static string Line(StepMetrics m) => JsonSerializer.Serialize(new
    {
        step = m.Step,
        loss = (float)m.Loss,
        batch_accuracy = (float)m.BatchAccuracy,
        validation_accuracy = (float?)m.ValidationAccuracy,
        learning_rate = (float)m.LearningRate,
        elapsed = (float)m.ElapsedSeconds,
    }, Json) + "\n";

    /// <param name="validationImages">How many validation images each validation point measured, for the legend.</param>
    public static TrainingCurves Curves(IReadOnlyList<StepMetrics> steps, int validationImages)
    {
        var validated = steps.Where(m => m.ValidationAccuracy is not null).ToArray();
        return new TrainingCurves(
            steps.Select(m => (double)m.Step).ToArray(),
            steps.Select(m => m.Loss).ToArray(),
            steps.Select(m => m.BatchAccuracy).ToArray(),
            steps.Select(m => m.LearningRate).ToArray(),
            validated.Select(m => (double)m.Step).ToArray(),
            validated.Select(m => m.ValidationAccuracy!.Value).ToArray(),
            $"validation ({validationImages} images)");
    }
}
