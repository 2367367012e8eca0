using Flow.Export;
using Flow.Tests.Export;
using Microsoft.ML.OnnxRuntime;
using Mnist.Data;
using Mnist.Models;
using Mnist.Predict;
using Mnist.Tests.Cli;
using Mnist.Tests.Export;

namespace Mnist.Tests.Ensembles;

/// <summary>An ensemble exported as one ONNX graph gives in ONNX Runtime what our own ensemble gives.</summary>
public sealed class EnsembleExportTests(TrainedEnsemble models) : IClassFixture<TrainedEnsemble>
{
    private const int Images = 1000;

    [Fact]
    public void OnnxRuntimeAgreesWithTheEnsembleOnTestImages()
    {
        using var ensemble = Ensemble.Load(models.Files);
        var model = OnnxExporter.Export(OnnxModelExport.Spec(ensemble.Models));
        var test = models.Data.Test;
        var first = new DataSet(test.Images[..(Images * 784)], test.Labels[..Images]);
        var unitImages = new float[Images * 784];
        first.GatherImages(0, Images, unitImages);

        var ours = Ensemble.Mean(ensemble.Run(first).Select(r => r.Probabilities).ToArray());
        var onnx = OnnxRuntimeRunner.Run(model, OnnxModelExport.Input, unitImages, Images, 784, OnnxModelExport.Logits, OnnxModelExport.Probabilities);

        double maxDiff = OnnxRuntimeRunner.MaxAbsDiff(ours, onnx[OnnxModelExport.Probabilities]);
        Assert.True(maxDiff <= 1e-5, $"max |Δp| = {maxDiff:E2}");
        // logits = log of the mean probability: exp gives the probabilities back, argmax the same guesses.
        var fromLogits = onnx[OnnxModelExport.Logits].Select(MathF.Exp).ToArray();
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(fromLogits, onnx[OnnxModelExport.Probabilities]) <= 1e-5);
        Assert.Equal(Ensemble.ArgMax(ours), Ensemble.ArgMax(onnx[OnnxModelExport.Logits]));
        int right = Ensemble.ArgMax(ours).Where((g, i) => g == first.Labels[i]).Count();
        Assert.True(right > 800, $"{right} of {Images} right");
    }

    [Fact]
    public void ExportCommandWritesOneGraphForSeveralModels()
    {
        string path = models.File("ensemble.onnx");
        var r = CliRunner.Run("export", "--model", models.Files[0], "--model", models.Files[1], "--model", models.Files[2], "--out", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"wrote {path}: the ensemble of 3 models (softmax, softmax, lenet; probabilities their mean, logits its log)", r.Stdout);
        using var session = new InferenceSession(path);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("ensemble", metadata["model"]);
        Assert.Equal("softmax, softmax, lenet", metadata["members"]);
        Assert.Equal("200", metadata["member0.training.steps"]);
        Assert.Equal("40", metadata["member2.training.steps"]);
        OnnxModelExportTests.AssertModelInterface(session);
    }
}
