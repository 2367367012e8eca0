using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mnist.Data;
using Mnist.Inspect;
using Mnist.IO;
using Mnist.Reports;
using Mnist.Training;

namespace Mnist.Web;

/// <summary>One t-SNE map: each point's (x, y) and its nearest neighbours in the space it was computed from.</summary>
public sealed record ProjectorSpace(
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("xy")] float[] Xy,
    [property: JsonPropertyName("neighbours")] int[][] Neighbours);

/// <summary>The projector's data for one model: test images picked at random, their labels and predictions, two maps.</summary>
public sealed record ProjectorData(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("indices")] int[] Indices,
    [property: JsonPropertyName("labels")] int[] Labels,
    [property: JsonPropertyName("predictions")] int[] Predictions,
    [property: JsonPropertyName("pixels")] ProjectorSpace Pixels,
    [property: JsonPropertyName("hidden")] ProjectorSpace Hidden);

/// <summary>
/// t-SNE maps (the project's <see cref="Tsne"/>, Barnes-Hut above <see cref="Tsne.ExactUpTo"/> points) of raw pixels and of the model's last hidden layer,
/// computed once per (model, count): kept in memory, and in the run folder as projector-N.json so a restart
/// of the server does not compute them again.
/// </summary>
public sealed class ProjectorMaps(ServedModels models, Func<string, DataSet> test)
{
    public const int Neighbours = 8;
    private const int Seed = 0;
    private readonly ConcurrentDictionary<(string, int), Lazy<ProjectorData>> _maps = new();

    public static string CacheFile(string runFolder, int count) => Path.Combine(runFolder, $"projector-{count}.json");

    public ProjectorData For(ModelEntry entry, int count) =>
        _maps.GetOrAdd((entry.File, count), _ => new Lazy<ProjectorData>(() => LoadOrCompute(entry, count))).Value;

    private ProjectorData LoadOrCompute(ModelEntry entry, int count)
    {
        string? cache = entry.RunFolder is null ? null : CacheFile(entry.RunFolder, count);
        if (cache is not null && File.Exists(cache))
        {
            try
            {
                if (JsonSerializer.Deserialize<ProjectorData>(File.ReadAllText(cache)) is { } cached) return cached;
            }
            catch (JsonException)
            {
                // A damaged cache is computed again and replaced.
            }
        }
        var map = Compute(entry, count);
        if (cache is not null) AtomicFile.WriteAllText(cache, JsonSerializer.Serialize(map));
        return map;
    }

    private ProjectorData Compute(ModelEntry entry, int count)
    {
        var data = test(models.DataSetOf(entry));
        int[] indices = DigitTiles.Pick(data.Labels, null, Math.Min(count, data.NumExamples), seed: Seed).ToArray();
        var subset = Examples.Subset(data, indices);
        int n = subset.NumExamples;
        var pixels = new float[n * MnistLayout.ImagePixels];
        subset.GatherImages(0, n, pixels);

        var (features, width, predictions) = models.Session(entry).Exclusive(trained =>
        {
            var scaled = TestSetPredictions.InModelScaling(subset, trained.Model.Scaling);
            var embedding = trained.Graph.Embedding;
            var (values, predicted) = Evaluator.CollectAndPredict(trained.Session, trained.Graph, scaled, trained.Settings.EvalBatchSize, embedding);
            return (values, embedding.Shape[1], predicted);
        });
        var options = new TsneOptions { Seed = Seed };
        return new ProjectorData(entry.Id, indices, subset.Labels.Select(l => (int)l).ToArray(), predictions,
            new ProjectorSpace(MnistLayout.ImagePixels, Tsne.Embed(pixels, n, MnistLayout.ImagePixels, options), NearestNeighbours(pixels, n, MnistLayout.ImagePixels)),
            new ProjectorSpace(width, Tsne.Embed(features, n, width, options), NearestNeighbours(features, n, width)));
    }

    /// <summary>For each row, the <see cref="Neighbours"/> other rows nearest to it (Euclidean), nearest first.</summary>
    public static int[][] NearestNeighbours(float[] rows, int n, int d)
    {
        int k = Math.Min(Neighbours, n - 1);
        var (indices, _) = Reports.NearestNeighbours.Find(rows, n, d, k);
        return Enumerable.Range(0, n).Select(i => indices[(i * k)..((i + 1) * k)]).ToArray();
    }
}
