using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;
using Mnist.Tests.Data;

namespace Mnist.Tests.Models;

/// <summary>A model saved to a file and loaded back predicts exactly as it did.</summary>
public sealed class TrainedModelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SavedThenLoadedSoftmaxGivesBitIdenticalLogitsAndPredictions()
    {
        var model = new SoftmaxRegression();
        var settings = model.DefaultSettings with { Steps = 50, Seed = 7 };
        var data = new DataOptions().Load(model.Scaling, (ulong)settings.Seed);
        var graph = model.Build(settings);
        string path = _dir.File("model.safetensors");
        float[] logits;
        int[] predictions;
        using (var trained = new TrainedModel(model, settings, graph, new Session(graph.Graph)))
        {
            new Trainer(model, graph, trained.Session, data, settings).Run();
            trained.Save(path);
            logits = Evaluator.Collect(trained.Session, graph, data.Test, 1000, graph.Logits);
            predictions = Evaluator.Predict(trained.Session, graph, data.Test, 1000);
        }

        using var loaded = TrainedModel.Load(path);
        Assert.Equal("softmax", loaded.Model.Name);
        Assert.Equal(settings, loaded.Settings);
        Assert.Equal(predictions, Evaluator.Predict(loaded.Session, loaded.Graph, data.Test, 1000));
        var again = Evaluator.Collect(loaded.Session, loaded.Graph, data.Test, 1000, loaded.Graph.Logits);
        Assert.Equal(logits.Select(BitConverter.SingleToInt32Bits), again.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void SettingsSurviveDescribe()
    {
        var lenet = new LeNet5().DefaultSettings with { Epochs = 2.5, LearningRate = 0.0123 };
        Assert.Equal(lenet, TrainingSettings.FromDescription(lenet.Describe(), new LeNet5().DefaultSettings with { Epochs = 1 }));
        var softmax = new SoftmaxRegression().DefaultSettings with { Steps = 77, Seed = 3, BatchSize = 10 };
        Assert.Equal(softmax, TrainingSettings.FromDescription(softmax.Describe(), new SoftmaxRegression().DefaultSettings with { Epochs = 4 }));
        var decayed = new DeepCnn().DefaultSettings with { WeightDecay = 0.003 };
        Assert.Equal(decayed, TrainingSettings.FromDescription(decayed.Describe(), new DeepCnn().DefaultSettings));
        // A file written without the entry was trained without weight decay, whatever the defaults say (best's is 0.01).
        var undecayed = new BestCnn().DefaultSettings with { WeightDecay = 0 };
        Assert.Equal(0, TrainingSettings.FromDescription(undecayed.Describe(), new BestCnn().DefaultSettings).WeightDecay);
    }

    [Fact]
    public void WrongShapeIsNamed()
    {
        string path = _dir.File("bad.safetensors");
        ModelFile.Save(path, "softmax", new SoftmaxRegression().DefaultSettings.Describe(), new Dictionary<string, HostTensor>
        {
            ["W"] = HostTensor.Zeros(DType.Float32, new Shape(784, 9)),
            ["b"] = HostTensor.Zeros(DType.Float32, new Shape(10)),
        });
        var e = Assert.Throws<ModelFileException>(() => TrainedModel.Load(path));
        Assert.Contains("tensor \"W\"", e.Message);
        Assert.Contains("bad.safetensors", e.Message);
    }

    [Fact]
    public void MissingAndExtraTensorsAreNamed()
    {
        var settings = new SoftmaxRegression().DefaultSettings.Describe();
        string missing = _dir.File("missing.safetensors");
        ModelFile.Save(missing, "softmax", settings, new Dictionary<string, HostTensor> { ["W"] = HostTensor.Zeros(DType.Float32, new Shape(784, 10)) });
        Assert.Contains("tensor \"b\"", Assert.Throws<ModelFileException>(() => TrainedModel.Load(missing)).Message);

        string extra = _dir.File("extra.safetensors");
        ModelFile.Save(extra, "softmax", settings, new Dictionary<string, HostTensor>
        {
            ["W"] = HostTensor.Zeros(DType.Float32, new Shape(784, 10)),
            ["b"] = HostTensor.Zeros(DType.Float32, new Shape(10)),
            ["hidden/W"] = HostTensor.Zeros(DType.Float32, new Shape(2)),
        });
        Assert.Contains("tensor \"hidden/W\"", Assert.Throws<ModelFileException>(() => TrainedModel.Load(extra)).Message);
    }

    [Fact]
    public void UnknownModelAndBadSettingsAreModelFileErrors()
    {
        string unknown = _dir.File("resnet.safetensors");
        ModelFile.Save(unknown, "resnet", new Dictionary<string, string>(), new Dictionary<string, HostTensor>());
        Assert.Contains("unknown model \"resnet\"", Assert.Throws<ModelFileException>(() => TrainedModel.Load(unknown)).Message);

        string bad = _dir.File("badseed.safetensors");
        ModelFile.Save(bad, "softmax", new Dictionary<string, string> { ["seed"] = "zero" }, new Dictionary<string, HostTensor>());
        Assert.Contains("setting seed", Assert.Throws<ModelFileException>(() => TrainedModel.Load(bad)).Message);
    }
}
