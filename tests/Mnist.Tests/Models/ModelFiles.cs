using Flow;
using Mnist.Models;

namespace Mnist.Tests.Models;

/// <summary>Model files for bad-input tests, written without training.</summary>
internal static class ModelFiles
{
    /// <summary>A file <see cref="TrainedModel.Load"/> accepts as the model's (zero weights), but with one element of one
    /// parameter set to <paramref name="poison"/>.</summary>
    public static void WriteWith(string path, string modelName, string parameter, float poison)
    {
        var model = ModelCatalog.Get(modelName);
        var graph = model.Build(model.DefaultSettings);
        var tensors = graph.Parameters.ToDictionary(v => v.Name, v => HostTensor.Zeros(v.DType, v.Shape), StringComparer.Ordinal);
        tensors[parameter].AsSpan<float>()[3] = poison;
        ModelFile.Save(path, model.Name, model.DefaultSettings.Describe(), tensors);
    }

    public static string FirstParameter(string modelName)
    {
        var model = ModelCatalog.Get(modelName);
        return model.Build(model.DefaultSettings).Parameters.First().Name;
    }

    /// <summary>A named pipe (a FIFO): opening it for reading blocks until someone writes.</summary>
    public static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
