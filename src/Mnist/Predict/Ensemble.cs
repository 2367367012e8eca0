using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Predict;

/// <summary>One model of an ensemble: the file it came from, the model, and its softmax probabilities [?, 10].</summary>
public sealed record EnsembleMember(string File, TrainedModel Trained, Tensor Probabilities);

/// <summary>
/// Several trained models of one data set predicting together: an image's probabilities are the mean
/// of the members' softmax probabilities, each member reading the image in its own pixel scaling, so
/// members may differ in architecture. An ensemble of one is that model. Owns (and disposes) its models.
/// </summary>
public sealed class Ensemble : IDisposable
{
    private Ensemble(IReadOnlyList<EnsembleMember> members) => Members = members;

    public IReadOnlyList<EnsembleMember> Members { get; }

    public IReadOnlyList<TrainedModel> Models => Members.Select(m => m.Trained).ToArray();

    /// <summary>The data set every member was trained on.</summary>
    public string DataSet => Members[0].Trained.Settings.DataSet;

    /// <summary>Loads each model file (<see cref="TrainedModel.Load"/>) and checks that they share a data set.</summary>
    /// <exception cref="ModelFileException">A file does not load, or two were trained on different data sets (the message names both).</exception>
    public static Ensemble Load(IReadOnlyList<string> files, string? device = null)
    {
        var loaded = new List<(string, TrainedModel)>();
        try
        {
            foreach (var file in files) loaded.Add((file, TrainedModel.Load(file, device)));
            return Of(loaded);
        }
        catch
        {
            foreach (var (_, model) in loaded) model.Dispose();
            throw;
        }
    }

    /// <summary>The ensemble of models already in memory, each named by the file it stands for.</summary>
    /// <exception cref="ModelFileException">Two were trained on different data sets.</exception>
    public static Ensemble Of(IReadOnlyList<(string File, TrainedModel Model)> models)
    {
        if (models.Count == 0) throw new ArgumentException("an ensemble needs at least one model", nameof(models));
        var (firstFile, first) = models[0];
        foreach (var (file, model) in models.Skip(1))
        {
            if (model.Settings.DataSet != first.Settings.DataSet)
                throw new ModelFileException($"model files {firstFile} and {file} were trained on different data sets " +
                    $"({first.Settings.DataSet} and {model.Settings.DataSet}); an ensemble's models must share one");
        }
        return new Ensemble(models.Select(m => new EnsembleMember(m.File, m.Model, Tf.Softmax(m.Model.Graph.Logits))).ToArray());
    }

    /// <summary>
    /// Each member's probabilities of every example of <paramref name="split"/> ([N·10], file order; the
    /// split's pixels rescaled to the member's own scaling) and its own guesses (argmax of its logits).
    /// </summary>
    public (float[] Probabilities, int[] Predictions)[] Run(DataSet split) => Members.Select(m =>
    {
        var t = m.Trained;
        var scaled = new DataSet(split.Images, split.Labels, t.Model.Scaling, 0, split.ClassNames);
        return Evaluator.CollectAndPredict(t.Session, t.Graph, scaled, t.Settings.EvalBatchSize, m.Probabilities);
    }).ToArray();

    /// <summary>The element-wise mean of the members' probabilities, summed in member order (one member: its own, unchanged).</summary>
    public static float[] Mean(IReadOnlyList<float[]> probabilities)
    {
        var mean = (float[])probabilities[0].Clone();
        foreach (var p in probabilities.Skip(1))
        {
            if (p.Length != mean.Length) throw new ArgumentException($"probabilities of {p.Length} and {mean.Length} values", nameof(probabilities));
            for (int i = 0; i < mean.Length; i++) mean[i] += p[i];
        }
        if (probabilities.Count > 1) for (int i = 0; i < mean.Length; i++) mean[i] /= probabilities.Count;
        return mean;
    }

    /// <summary>Each row's most likely class (the first of a tie), for rows of <paramref name="classes"/> values.</summary>
    public static int[] ArgMax(float[] probabilities, int classes = MnistLayout.NumClasses)
    {
        var result = new int[probabilities.Length / classes];
        for (int r = 0; r < result.Length; r++)
        {
            var row = probabilities.AsSpan(r * classes, classes);
            for (int c = 1; c < classes; c++) if (row[c] > row[result[r]]) result[r] = c;
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var m in Members) m.Trained.Dispose();
    }
}
