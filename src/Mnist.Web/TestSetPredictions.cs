using System.Collections.Concurrent;
using Mnist.Data;
using Mnist.Training;

namespace Mnist.Web;

/// <summary>
/// Each model's prediction for every test image (for the confusion matrix's cells), computed once per model
/// file on first need and kept in memory.
/// </summary>
public sealed class TestSetPredictions(ServedModels models, Func<string, DataSet> test)
{
    private readonly ConcurrentDictionary<string, Lazy<int[]>> _cache = new(StringComparer.Ordinal);

    /// <summary>The test set of the data set the model was trained on.</summary>
    public DataSet TestOf(ModelEntry entry) => test(models.DataSetOf(entry));

    public int[] For(ModelEntry entry) => _cache.GetOrAdd(entry.File, _ => new Lazy<int[]>(() =>
        models.Session(entry).Exclusive(trained =>
        {
            var data = InModelScaling(TestOf(entry), trained.Model.Scaling);
            return Evaluator.Predict(trained.Session, trained.Graph, data, trained.Settings.EvalBatchSize);
        }))).Value;

    /// <summary>The same images as the model was trained to read them (LeNet wants [-0.5, 0.5]).</summary>
    public static DataSet InModelScaling(DataSet data, PixelScaling scaling) =>
        data.Scaling == scaling ? data : new DataSet(data.Images, data.Labels, scaling);
}
