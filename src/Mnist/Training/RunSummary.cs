using System.Text.Json;
using System.Text.Json.Serialization;
using Mnist.IO;

namespace Mnist.Training;

/// <summary>
/// <c>run.json</c> in a run folder: the model, its settings and the final figures as numbers, for programs
/// (the web app's model picker and runs page) rather than people (report.html says the same in prose).
/// </summary>
public sealed record RunSummary(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("settings")] IReadOnlyDictionary<string, string> Settings,
    [property: JsonPropertyName("test_accuracy")] double TestAccuracy,
    [property: JsonPropertyName("validation_accuracy")] double? ValidationAccuracy,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("train_seconds")] double TrainSeconds)
{
    public const string FileName = "run.json";

    public static RunSummary Of(string model, IReadOnlyDictionary<string, string> settings, TrainResult r) =>
        new(model, settings, r.TestAccuracy, double.IsNaN(r.ValidationAccuracy) ? null : r.ValidationAccuracy, r.Steps, r.TrainSeconds);

    public void Write(string folder) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this));

    /// <summary>The folder's summary, or null when it has none (a run still training) or it cannot be read.</summary>
    public static RunSummary? TryRead(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(Path.Combine(folder, FileName)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
