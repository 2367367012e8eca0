using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Tests.Export;

/// <summary>A model trained in-process for a few steps of its recipe, kept with its data for the export and predict tests.</summary>
internal static class ShortTraining
{
    public static (TrainedModel Model, DataSets Data) Train(string name, int steps)
    {
        var model = ModelCatalog.Get(name);
        var settings = model.DefaultSettings with { Steps = steps, Epochs = null };
        var data = model.LoadData(settings, new DataOptions(), null);
        var graph = model.Build(settings);
        var trained = new TrainedModel(model, settings, graph, new Session(graph.Graph));
        new Trainer(model, graph, trained.Session, data, settings).Run();
        return (trained, data);
    }
}
