using Mnist.Tests.Data;

namespace Mnist.Tests.Cli;

/// <summary>One short softmax run through the real CLI (`train --steps 200 --out DIR`), shared by the tests that need its run folder.</summary>
public sealed class TrainedRun : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TrainedRun()
    {
        Folder = _dir.File("run");
        Result = CliRunner.Run("train", "--model", "softmax", "--steps", "200", "--out", Folder);
    }

    public string Folder { get; }
    public CliRunner.Result Result { get; }
    public string ModelFile => Path.Combine(Folder, "model.safetensors");

    /// <summary>A fresh path for a picture in the shared temporary folder.</summary>
    public string Picture(string name) => _dir.File(name);

    public void Dispose() => _dir.Dispose();
}
