using Mnist.Data;
using Mnist.Models;
using Mnist.Tests.Data;
using Mnist.Tests.Export;

namespace Mnist.Tests.Ensembles;

/// <summary>
/// Three briefly trained models saved as files, shared by the ensemble tests: two softmax regressions
/// (200 and 100 steps: one architecture, so their ONNX names must be kept apart) and a LeNet-5 (40 steps),
/// whose pixels are [−0.5, 0.5] where softmax reads [0, 1]. Also MNIST itself in [0, 1], whole and cut short.
/// </summary>
public sealed class TrainedEnsemble : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TrainedEnsemble()
    {
        Files = [Save("softmax", 200, "softmax200.safetensors"), Save("softmax", 100, "softmax100.safetensors"), Save("lenet", 40, "lenet40.safetensors")];
        Data = new DataOptions().Load(PixelScaling.ZeroToOne, 0);
        var (validation, test) = (Data.Validation, Data.Test);
        Small = new DataSets(Data.Train, new DataSet(validation.Images[..(500 * 784)], validation.Labels[..500]),
            new DataSet(test.Images[..(1000 * 784)], test.Labels[..1000]), Data.DataSet);
    }

    /// <summary>softmax (200 steps), softmax (100 steps), lenet (40 steps).</summary>
    public string[] Files { get; }
    public DataSets Data { get; }
    /// <summary>The first 500 validation and 1,000 test images: enough to check the arithmetic, quick for LeNet on a loaded machine.</summary>
    public DataSets Small { get; }

    public string File(string name) => _dir.File(name);

    private string Save(string model, int steps, string name)
    {
        var (trained, _) = ShortTraining.Train(model, steps);
        using (trained) trained.Save(File(name));
        return File(name);
    }

    public void Dispose() => _dir.Dispose();
}
