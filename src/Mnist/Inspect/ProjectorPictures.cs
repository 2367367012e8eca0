using Mnist.Data;
using Mnist.Models;
using Mnist.Reports;
using Mnist.Training;

namespace Mnist.Inspect;

/// <summary>
/// The Embedding Projector's view of MNIST: t-SNE maps of test examples side by side, from the raw
/// pixels and from what the model's output layer reads (its last hidden layer), each point coloured by
/// its label. A model without a hidden layer (softmax regression) reads the pixels themselves, which
/// would only repeat the first map, so its 10 logits are mapped instead and the title says so.
/// </summary>
public static class ProjectorPictures
{
    /// <summary>Writes the pair of maps of <paramref name="count"/> test examples picked at random by <paramref name="seed"/>.</summary>
    /// <returns>The picture's size and the right map's title, which says what was mapped.</returns>
    public static (PictureSize Size, string FeatureTitle) Write(string path, TrainedModel model, DataSet test, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var subset = Examples.Subset(test, DigitTiles.Pick(test.Labels, null, count, seed: seed));
        int n = subset.NumExamples;
        var options = new TsneOptions { Seed = seed };

        var pixels = new float[n * MnistLayout.ImagePixels];
        subset.GatherImages(0, n, pixels);
        var pixelMap = Tsne.Embed(pixels, n, MnistLayout.ImagePixels, options);

        bool hidden = model.Graph.Embedding != model.Graph.Images;
        var embedding = hidden ? model.Graph.Embedding : model.Graph.Logits;
        int width = embedding.Shape[1];
        var features = Evaluator.Collect(model.Session, model.Graph, subset, model.Settings.EvalBatchSize, embedding);
        var featureMap = Tsne.Embed(features, n, width, options);

        string featureTitle = hidden
            ? $"{model.Model.Name}: what its output layer reads ({width} values)"
            : $"{model.Model.Name} has no hidden layer: its {width} logits";
        var size = ProjectorMap.WritePair(path, subset.Labels, (pixelMap, $"t-SNE of {n} test images: raw pixels"), (featureMap, featureTitle),
            classNames: test.ClassNames);
        return (size, featureTitle);
    }
}
