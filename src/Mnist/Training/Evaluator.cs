using Flow;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>Runs a model over a whole data set in batches (the last one partial) in evaluation mode.</summary>
public static class Evaluator
{
    /// <returns>The accuracy and each example's predicted class, in file order.</returns>
    public static (double Accuracy, int[] Predictions) Evaluate(Session session, ModelGraph model, DataSet data, int batchSize)
    {
        var predictions = Predict(session, model, data, batchSize);
        int correct = 0;
        for (int i = 0; i < predictions.Length; i++) if (predictions[i] == data.Labels[i]) correct++;
        return ((double)correct / Math.Max(1, predictions.Length), predictions);
    }

    public static int[] Predict(Session session, ModelGraph model, DataSet data, int batchSize)
    {
        var result = new int[data.NumExamples];
        ForEachBatch(session, model, data, batchSize, [model.Predictions], (start, t) => t[0].AsSpan<int>().CopyTo(result.AsSpan(start)));
        return result;
    }

    /// <summary>Values of <paramref name="fetch"/> (a [?, k] float tensor of the model) for every example, [N*k].</summary>
    public static float[] Collect(Session session, ModelGraph model, DataSet data, int batchSize, Tensor fetch)
    {
        int k = fetch.Shape[1];
        var result = new float[data.NumExamples * k];
        ForEachBatch(session, model, data, batchSize, [fetch], (start, t) => t[0].AsSpan<float>().CopyTo(result.AsSpan(start * k)));
        return result;
    }

    /// <summary><see cref="Collect"/> and <see cref="Predict"/> in one pass over the data: the model runs once, not twice.</summary>
    public static (float[] Values, int[] Predictions) CollectAndPredict(Session session, ModelGraph model, DataSet data, int batchSize, Tensor fetch)
    {
        int k = fetch.Shape[1];
        var values = new float[data.NumExamples * k];
        var predictions = new int[data.NumExamples];
        ForEachBatch(session, model, data, batchSize, [fetch, model.Predictions], (start, t) =>
        {
            t[0].AsSpan<float>().CopyTo(values.AsSpan(start * k));
            t[1].AsSpan<int>().CopyTo(predictions.AsSpan(start));
        });
        return (values, predictions);
    }

    private static void ForEachBatch(Session session, ModelGraph model, DataSet data, int batchSize, Tensor[] fetches, Action<int, HostTensor[]> onBatch)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "evaluation batch size must be positive");
        var (feeds, feedValues) = EvalFeeds(model);
        var run = session.MakeCallable(fetches, feeds);
        float[] images = new float[batchSize * 784];
        for (int start = 0; start < data.NumExamples; start += batchSize)
        {
            int count = Math.Min(batchSize, data.NumExamples - start);
            if (count != batchSize) images = new float[count * 784];
            data.GatherImages(start, count, images);
            feedValues[0] = HostTensor.From(images, count, 784);
            onBatch(start, [.. run.Run(feedValues)]);
        }
    }

    /// <summary>The images placeholder (its value left to fill, index 0) and the model's mode feeds at their evaluation values.</summary>
    internal static (Tensor[] Feeds, HostTensor[] Values) EvalFeeds(ModelGraph model)
    {
        var feeds = new List<Tensor> { model.Images };
        var values = new List<HostTensor> { HostTensor.Zeros(DType.Float32, new Shape(0, 784)) };
        foreach (var (placeholder, modes) in model.ModeFeeds) { feeds.Add(placeholder); values.Add(modes.Eval); }
        return (feeds.ToArray(), values.ToArray());
    }
}
