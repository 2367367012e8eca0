using Flow;

namespace Mnist.Models;

/// <summary>
/// A model's graph with its trained values in a session: what training leaves behind and what a model
/// file loads back, ready for <see cref="Training.Evaluator"/>. Owns (and disposes) the session.
/// </summary>
public sealed class TrainedModel(MnistModel model, TrainingSettings settings, ModelGraph graph, Session session) : IDisposable
{
    public MnistModel Model { get; } = model;
    public TrainingSettings Settings { get; } = settings;
    public ModelGraph Graph { get; } = graph;
    public Session Session { get; } = session;

    /// <summary>Every parameter's current value by its variable name, as a model file holds them.</summary>
    public IReadOnlyDictionary<string, HostTensor> Parameters() =>
        Graph.Parameters.ToDictionary(v => v.Name, v => Session.GetValue(v), StringComparer.Ordinal);

    public void Save(string path) => ModelFile.Save(path, Model.Name, Settings.Describe(), Parameters());

    /// <summary>
    /// Rebuilds the file's model with its stored settings and sets every parameter from the file.
    /// The graph must be the one the file was saved from: a tensor missing, left over, or of another
    /// dtype or shape is a <see cref="ModelFileException"/> naming it.
    /// </summary>
    /// <param name="device">The backend to run it on (<see cref="Devices.Names"/>; default the first).</param>
    /// <param name="threads">Its worker threads (default: one per core).</param>
    public static TrainedModel Load(string path, string? device = null, int? threads = null)
    {
        var file = ModelFile.Load(path);
        var model = ModelCatalog.All.FirstOrDefault(m => m.Name == file.ModelName)
            ?? throw new ModelFileException($"model file {path}: unknown model \"{file.ModelName}\"; known models: {string.Join(", ", ModelCatalog.Names)}");
        TrainingSettings settings;
        try
        {
            settings = TrainingSettings.FromDescription(file.Settings, model.DefaultSettings);
        }
        catch (FormatException e)
        {
            throw new ModelFileException($"model file {path}: {e.Message}", e);
        }

        var graph = model.Build(settings);
        var session = Devices.OpenSession(graph.Graph, device ?? Devices.Default, threads);
        try
        {
            foreach (var v in graph.Parameters)
            {
                if (!file.Tensors.TryGetValue(v.Name, out var value))
                    throw new ModelFileException($"model file {path}: tensor \"{v.Name}\" of the {model.Name} model is missing");
                if (value.DType != v.DType || !value.Shape.Equals(v.Shape))
                    throw new ModelFileException($"model file {path}: tensor \"{v.Name}\" is {value.DType.Name()} {value.Shape}, the {model.Name} model needs {v.DType.Name()} {v.Shape}");
                session.SetValue(v, value);
            }
            var extra = file.Tensors.Keys.Except(graph.Parameters.Select(v => v.Name)).Order(StringComparer.Ordinal).FirstOrDefault();
            if (extra is not null) throw new ModelFileException($"model file {path}: tensor \"{extra}\" is not a parameter of the {model.Name} model");
            return new TrainedModel(model, settings, graph, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Dispose() => Session.Dispose();
}
