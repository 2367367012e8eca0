using Flow;
using Flow.Summary;

namespace Mnist.Training;

/// <summary>
/// A run's TensorBoard log in its folder (`tensorboard --logdir runs`): the training graph, the logged
/// steps' scalars under metrics.jsonl's names (plus images/s), and at the end the run's pictures.
/// A resumed run goes on in the same file.
/// </summary>
internal sealed class RunEvents : IDisposable
{
    private static readonly string[] Pictures = [RunArtifacts.ConfusionFileName, RunArtifacts.PredictionsFileName];

    private readonly EventFileWriter _writer;
    private readonly int _batchSize;
    private StepMetrics? _previous;

    private RunEvents(EventFileWriter writer, int batchSize, StepMetrics? previous) => (_writer, _batchSize, _previous) = (writer, batchSize, previous);

    /// <param name="resumed">The checkpoint a resumed run goes on from: its events of later steps are dropped.</param>
    /// <param name="warn">Told when a resumed run's event file cannot be read and a new one is started.</param>
    public static RunEvents Open(string folder, Graph graph, int batchSize, Checkpoint? resumed, Action<string>? warn)
    {
        if (resumed is not null && EventFileWriter.Find(folder) is string path)
        {
            try
            {
                return new RunEvents(EventFileWriter.Resume(path, resumed.Step), batchSize, resumed.Metrics.LastOrDefault());
            }
            catch (InvalidDataException e)
            {
                warn?.Invoke($"warning: {path}: {e.Message}; starting a new event file");
            }
        }
        var writer = EventFileWriter.Create(folder);
        writer.AddGraph(graph);
        return new RunEvents(writer, batchSize, resumed?.Metrics.LastOrDefault());
    }

    public void Log(StepMetrics m)
    {
        var scalars = new List<(string, double)> { ("loss", m.Loss), ("batch_accuracy", m.BatchAccuracy), ("learning_rate", m.LearningRate) };
        if (m.ValidationAccuracy is double v) scalars.Add(("validation_accuracy", v));
        if (_previous is { } p && m.ElapsedSeconds > p.ElapsedSeconds)
            scalars.Add(("images_per_second", (m.Step - p.Step) * (double)_batchSize / (m.ElapsedSeconds - p.ElapsedSeconds)));
        _writer.AddScalars(m.Step, scalars);
        _previous = m;
    }

    /// <summary>The run folder's pictures as image summaries at the run's last step.</summary>
    public void AddPictures(string folder, int step)
    {
        foreach (var name in Pictures)
        {
            string path = Path.Combine(folder, name);
            if (File.Exists(path)) _writer.AddImage(step, Path.GetFileNameWithoutExtension(name), File.ReadAllBytes(path));
        }
    }

    public void Dispose() => _writer.Dispose();
}
