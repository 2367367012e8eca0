using Flow;
using Flow.Export;
using Flow.Tests.Export;
using Microsoft.ML.OnnxRuntime;
using Mnist.Data;
using Mnist.Models;
using Mnist.Tests.Cli;
using Mnist.Tests.Data;

namespace Mnist.Tests.Export;

/// <summary>Every model, briefly trained and exported, gives in ONNX Runtime what it gives in Flow on 1,000 test images.</summary>
public sealed class OnnxModelExportTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    private const int Images = 1000;

    [Theory]
    [InlineData("softmax", 200)]
    [InlineData("deep", 40)]
    [InlineData("lenet", 40)]
    [InlineData("mlp", 300)]
    [InlineData("best", 200)]   // batch normalization in inference mode: ONNX BatchNormalization with the moving statistics
    public void OnnxRuntimeAgreesWithFlowOnTestImages(string name, int steps)
    {
        var (trained, data) = ShortTraining.Train(name, steps);
        using var _ = trained;
        var spec = OnnxModelExport.Spec(trained);
        var model = OnnxExporter.Export(spec);

        // Flow reads the images in the model's own scaling; the ONNX model reads read_data_sets' [0, 1].
        var flowImages = Gather(new DataSet(data.Test.Images, data.Test.Labels, trained.Model.Scaling));
        var unitImages = Gather(new DataSet(data.Test.Images, data.Test.Labels, PixelScaling.ZeroToOne));
        var feeds = new FeedDict { [trained.Graph.Images] = HostTensor.From(flowImages, Images, 784) };
        foreach (var (placeholder, modes) in trained.Graph.ModeFeeds) feeds[placeholder] = modes.Eval;
        var flow = trained.Session.Run([spec.Outputs[0].Tensor, spec.Outputs[1].Tensor], feeds);
        var onnx = OnnxRuntimeRunner.Run(model, OnnxModelExport.Input, unitImages, Images, 784, OnnxModelExport.Logits, OnnxModelExport.Probabilities);

        float[] flowP = flow[1].ToFloatArray(), onnxP = onnx[OnnxModelExport.Probabilities];
        Assert.Equal(ArgMax(flow[0].ToFloatArray()), ArgMax(onnx[OnnxModelExport.Logits]));
        Assert.Equal(ArgMax(flowP), ArgMax(onnxP));
        double maxDiff = OnnxRuntimeRunner.MaxAbsDiff(flowP, onnxP);
        Assert.True(maxDiff <= 1e-5, $"{name}: max |Δp| = {maxDiff:E2}");
        // Trained, not a constant: most of the first 1,000 test digits are right.
        var labels = data.Test.Labels.Take(Images).Select(l => (int)l);
        int right = ArgMax(onnxP).Zip(labels).Count(p => p.First == p.Second);
        Assert.True(right > 500, $"{name}: {right} of {Images} right");
    }

    [Fact]
    public void ExportCommandWritesTheModelWithItsMetadata()
    {
        string path = run.Picture("softmax.onnx");
        var r = CliRunner.Run("export", "--model", run.ModelFile, "--out", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"wrote {path}", r.Stdout);
        using var session = new InferenceSession(path);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("softmax", metadata["model"]);
        Assert.Equal("MNIST", metadata["dataset"]);
        Assert.Equal("200", metadata["training.steps"]);
        AssertModelInterface(session);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void ExportOfAMissingModelIsOneErrorLine()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run("export", "--model", dir.File("none.safetensors"));
        CliRunner.AssertCleanError(r, "none.safetensors");
    }

    /// <summary>What every exported file, one model or an ensemble, offers: x [N, 784] in, logits and probabilities [N, 10] out.</summary>
    internal static void AssertModelInterface(InferenceSession session)
    {
        Assert.Equal([-1, 784], session.InputMetadata["x"].Dimensions);
        Assert.Equal(["logits", "probabilities"], session.OutputMetadata.Keys.Order());
        Assert.Equal([-1, 10], session.OutputMetadata["probabilities"].Dimensions);
        Assert.Equal([-1, 10], session.OutputMetadata["logits"].Dimensions);
    }

    private static float[] Gather(DataSet set)
    {
        var images = new float[Images * 784];
        set.GatherImages(0, Images, images);
        return images;
    }

    private static int[] ArgMax(float[] rows) => rows.Chunk(10).Select(r => Array.IndexOf(r, r.Max())).ToArray();
}
