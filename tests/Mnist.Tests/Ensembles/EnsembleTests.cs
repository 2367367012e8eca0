using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Predict;
using Mnist.Training;

namespace Mnist.Tests.Ensembles;

/// <summary>An ensemble's probabilities are the mean of its models' softmaxes, each model reading its own pixel scaling.</summary>
public sealed class EnsembleTests(TrainedEnsemble models) : IClassFixture<TrainedEnsemble>
{
    private const int Images = 1000;

    [Fact]
    public void EnsembleOfOneIsTheModel()
    {
        using var ensemble = Ensemble.Load([models.Files[2]]);
        var lenet = ensemble.Members[0].Trained;
        var alone = ModelEvaluation.Run(lenet, Rescaled(models.Small, lenet.Model.Scaling));
        var e = EnsembleEvaluation.Run(ensemble, models.Small);

        Assert.Equal(alone.ValidationAccuracy, e.Ensemble.ValidationAccuracy);
        Assert.Equal(alone.TestAccuracy, e.Ensemble.TestAccuracy);
        Assert.Equal(alone.TestAccuracyPerClass, e.Ensemble.TestAccuracyPerClass);
        Assert.Equal(alone.TestAccuracy, e.Members[0].TestAccuracy);
        Assert.Equal(Softmax(lenet, Images), e.TestProbabilities);
    }

    [Fact]
    public void EnsembleOfThreeReportsTheMeanOfTheirProbabilities()
    {
        using var ensemble = Ensemble.Load(models.Files);
        var e = EnsembleEvaluation.Run(ensemble, models.Small);

        // By hand: each model's softmax on the first test images in its own scaling, averaged in double.
        var each = ensemble.Models.Select(m => Softmax(m, Images)).ToArray();
        var mean = Enumerable.Range(0, Images * 10).Select(i => each.Average(p => (double)p[i])).ToArray();
        double maxDiff = mean.Select((m, i) => Math.Abs(m - e.TestProbabilities[i])).Max();
        Assert.True(maxDiff < 1e-6, $"max |Δp| = {maxDiff:E2}");
        // The mean differs from every member's own probabilities: the models disagree somewhere.
        Assert.All(each, p => Assert.True(p.Zip(e.TestProbabilities).Max(x => Math.Abs(x.First - x.Second)) > 1e-3));

        // The ensemble's test accuracy is that of the argmax of the mean, over all the test images.
        var guesses = Ensemble.ArgMax(e.TestProbabilities);
        Assert.Equal(Images, guesses.Length);
        Assert.Equal(guesses.Where((g, i) => g == models.Small.Test.Labels[i]).Count() / (double)Images, e.Ensemble.TestAccuracy);
        // Each member's row is that model measured alone.
        for (int m = 0; m < 3; m++)
        {
            var model = ensemble.Models[m];
            Assert.Equal(ModelEvaluation.Run(model, Rescaled(models.Small, model.Model.Scaling)).TestAccuracy, e.Members[m].TestAccuracy);
        }
        Assert.Equal(["softmax", "softmax", "lenet"], e.Members.Select(m => m.Model));
        Assert.InRange(e.Ensemble.TestAccuracy, 0.8, 1);
    }

    [Fact]
    public void ModelsOfDifferentDataSetsAreRefusedNamingBothFiles()
    {
        string fashion = FashionCopy(models, models.Files[0]);
        var error = Assert.Throws<ModelFileException>(() => Ensemble.Load([models.Files[1], fashion]));
        Assert.Contains(models.Files[1], error.Message);
        Assert.Contains(fashion, error.Message);
        Assert.Contains("(mnist and fashion)", error.Message);
    }

    /// <summary>A copy of a model file that says it was trained on Fashion-MNIST.</summary>
    internal static string FashionCopy(TrainedEnsemble models, string file)
    {
        string path = models.File("fashion-" + Path.GetFileName(file));
        using var trained = TrainedModel.Load(file);
        var settings = trained.Settings.Describe().ToDictionary();
        settings["dataset"] = KnownDataSets.Fashion.Name;
        ModelFile.Save(path, trained.Model.Name, settings, trained.Parameters());
        return path;
    }

    // The model's softmax on the first n test images, fed in its own pixel scaling by a plain Session.Run.
    private float[] Softmax(TrainedModel model, int n)
    {
        var test = new DataSet(models.Small.Test.Images, models.Small.Test.Labels, model.Model.Scaling);
        var images = new float[n * 784];
        test.GatherImages(0, n, images);
        var feeds = new FeedDict { [model.Graph.Images] = HostTensor.From(images, n, 784) };
        foreach (var (placeholder, modes) in model.Graph.ModeFeeds) feeds[placeholder] = modes.Eval;
        return model.Session.Run([Tf.Softmax(model.Graph.Logits)], feeds)[0].ToFloatArray();
    }

    private static DataSets Rescaled(DataSets d, PixelScaling scaling) => new(
        new DataSet(d.Train.Images, d.Train.Labels, scaling), new DataSet(d.Validation.Images, d.Validation.Labels, scaling),
        new DataSet(d.Test.Images, d.Test.Labels, scaling), d.DataSet);
}
