using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Tests.Data;
using Mnist.Training;

namespace Mnist.Tests.Training;

/// <summary>The pieces of an exact resume, each on its own: the data set's position and a checkpoint file's round trip.</summary>
public class CheckpointTests
{
    private static DataSet Set(int n, ulong seed) =>
        new(Enumerable.Range(0, n * 784).Select(i => (byte)(i * 7)).ToArray(), Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray(), seed: seed);

    [Theory]
    [InlineData(10, 3, 1)]
    [InlineData(10, 3, 7)]
    [InlineData(12, 4, 3)]   // batches that end exactly at the end of an epoch
    [InlineData(5, 5, 4)]
    public void RestoredPositionDealsTheSameBatches(int n, int batch, int before)
    {
        var a = Set(n, 42);
        for (int i = 0; i < before; i++) a.NextBatch(batch);
        var saved = a.SavePosition();
        var b = Set(n, 99);
        b.NextBatch(batch);
        b.RestorePosition(saved);
        for (int i = 0; i < 3 * n; i++)
        {
            Assert.Equal(a.NextBatch(batch).Labels.ToArray(), b.NextBatch(batch).Labels.ToArray());
            Assert.Equal(a.EpochsCompleted, b.EpochsCompleted);
        }
    }

    [Fact]
    public void PositionOfAnotherSetIsRefused()
    {
        var saved = Set(10, 1).SavePosition();
        Assert.Throws<ArgumentException>(() => Set(11, 1).RestorePosition(saved));
        Assert.Throws<ArgumentException>(() => Set(10, 1).RestorePosition(saved with { Order = [.. Enumerable.Repeat(0, 10)] }));
    }

    [Fact]
    public void CheckpointFileRoundTripsEveryPart()
    {
        using var dir = new TempDirectory();
        var model = new SoftmaxRegression();
        var settings = model.DefaultSettings with { Threads = 3 };
        var graph = model.Build(settings);
        using var session = new Session(graph.Graph);
        session.Run(graph.Graph.GlobalVariablesInitializer());
        var data = Set(20, 5);
        data.NextBatch(7);
        StepMetrics[] metrics = [new(0, 2.3, 0.1, null, 0.5, 0.01, 0), new(100, double.NaN, 0.9, 0.91, 0.5, 0.2, 1)];
        var saved = Checkpoint.Capture(model.Name, Checkpoint.DescribeSettings(settings, 3), 123, session, data, metrics, 4.5);
        string path = CheckpointFolder.PathFor(dir.Path, 123);
        saved.Save(path);

        var loaded = Checkpoint.Load(path);
        Assert.Equal((model.Name, 123, 4.5), (loaded.Model, loaded.Step, loaded.TrainSeconds));
        Assert.Equal(settings, loaded.ReadSettings(model.DefaultSettings));
        Assert.Equal(saved.Variables.Keys.Order(), loaded.Variables.Keys.Order());
        foreach (var (name, value) in saved.Variables) Assert.Equal(value.AsBytes().ToArray(), loaded.Variables[name].AsBytes().ToArray());
        Assert.Equal(saved.RandomStates.Keys.Order(), loaded.RandomStates.Keys.Order());
        foreach (var (name, state) in saved.RandomStates) Assert.Equal(state, loaded.RandomStates[name]);
        Assert.Equal(saved.Data.Order, loaded.Data.Order);
        Assert.Equal((saved.Data.RandomState, saved.Data.IndexInEpoch, saved.Data.EpochsCompleted),
            (loaded.Data.RandomState, loaded.Data.IndexInEpoch, loaded.Data.EpochsCompleted));
        Assert.Equal(metrics, loaded.Metrics);
    }

    [Fact]
    public void ModelFileIsNotACheckpoint()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        ModelFile.Save(path, "softmax", new Dictionary<string, string>(), new Dictionary<string, HostTensor> { ["w"] = HostTensor.Scalar(1f) });
        var e = Assert.Throws<ModelFileException>(() => Checkpoint.Load(path));
        Assert.Contains("not a checkpoint", e.Message);
    }
}
