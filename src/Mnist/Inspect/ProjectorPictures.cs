using Mnist.Data;
using Mnist.Models;
using Mnist.Reports;
using Mnist.Training;

namespace Mnist.Inspect;

/// <summary>
/// The Embedding Projector's view of MNIST: t-SNE maps of test examples side by side, from the raw
/// pixels and from what the model's output layer reads (its last hidden layer; the pixels again for
/// softmax regression, which has none), each point coloured by its label.
/// </summary>
public static class ProjectorPictures
{
    /// <summary>Writes the pair of maps of <paramref name="count"/> test examples picked at random by <paramref name="seed"/>.</summary>
    public static PictureSize Write(string path, TrainedModel model, DataSet test, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var subset = Examples.Subset(test, DigitTiles.Pick(test.Labels, null, count, seed: seed));
        int n = subset.NumExamples;
        var options = new TsneOptions { Seed = seed };

        var pixels = new float[n * MnistLayout.ImagePixels];
        subset.GatherImages(0, n, pixels);
        var pixelMap = Tsne.Embed(pixels, n, MnistLayout.ImagePixels, options);

        var embedding = model.Graph.Embedding;
        int width = embedding.Shape[1];
        var features = Evaluator.Collect(model.Session, model.Graph, subset, model.Settings.EvalBatchSize, embedding);
        var featureMap = Tsne.Embed(features, n, width, options);

        return ProjectorMap.WritePair(path, subset.Labels,
            (pixelMap, $"t-SNE of {n} test images: raw pixels"),
            (featureMap, $"{model.Model.Name}: what its output layer reads ({width} values)"), classNames: test.ClassNames);
    }
}
