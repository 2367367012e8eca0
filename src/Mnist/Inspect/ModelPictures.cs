using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Reports;
using Mnist.Training;

namespace Mnist.Inspect;

/// <summary>One test example's softmax probabilities, as <c>mnist show probabilities</c> draws them.</summary>
public sealed record ProbabilityView(PictureSize Size, float[] Probabilities, int Label, int Predicted);

/// <summary>Pictures of what a trained model does: its weights, its guesses, its confidence.</summary>
public static class ModelPictures
{
    private static readonly Shape PixelToClass = new(MnistLayout.ImagePixels, MnistLayout.NumClasses);

    /// <summary>The [784, 10] weight matrix from pixels straight to classes; only softmax regression has one.</summary>
    public static HostTensor? PixelWeights(IReadOnlyDictionary<string, HostTensor> parameters) =>
        parameters.Values.SingleOrDefault(t => t.DType == DType.Float32 && t.Shape.Equals(PixelToClass));

    /// <exception cref="ArgumentException">The model has no pixel-to-class weights (it is not softmax regression).</exception>
    /// <param name="dataSet">The data set the model was trained on: its class names title the maps.</param>
    public static GridPicture Weights(string path, string modelName, IReadOnlyDictionary<string, HostTensor> parameters, string dataSet)
    {
        var weights = PixelWeights(parameters)
            ?? throw new ArgumentException($"the {modelName} model has no [784, 10] weight matrix from pixels to classes; weight maps need a softmax model");
        return WeightMaps.Write(path, weights.AsSpan<float>(), classNames: KnownDataSets.Get(dataSet).ClassNames);
    }

    /// <summary>
    /// A grid of up to rows×columns test examples picked at random (by <paramref name="seed"/>; without one
    /// the first in file order), titled with the model's guesses, mistakes framed; with
    /// <paramref name="onlyMistakes"/>, mistakes only. The picture's title names the model and the data and
    /// says how many are wrong.
    /// </summary>
    /// <param name="predictions">The predicted class of every example of <paramref name="test"/>.</param>
    /// <param name="dataName">What the examples are, for the title (e.g. "MNIST test images").</param>
    public static GridPicture Predictions(string path, string modelName, DataSet test, int[] predictions, int rows, int columns,
        bool onlyMistakes, int? seed, string dataName = "MNIST test images")
    {
        var indices = DigitTiles.Pick(test.Labels, predictions, rows * columns, onlyMistakes, seed);
        if (indices.Length == 0) throw new ArgumentException($"the model makes no mistakes on the {test.NumExamples} test images: nothing to show");
        int wrong = predictions.Where((guess, i) => guess != test.Labels[i]).Count();
        string shown = onlyMistakes ? (indices.Length == wrong ? $"all {wrong} mistakes" : $"{indices.Length} of its {wrong} mistakes") :
            $"{indices.Length} at random, {indices.Count(i => predictions[i] != test.Labels[i])} wrong";
        string title = $"{modelName} on {test.NumExamples} {dataName}: {wrong} wrong; {shown}";
        return DigitGrid.Write(path, DigitTiles.Predictions(test.Images, test.Labels, predictions, indices, test.ClassNames), columns, title: title);
    }

    public static ProbabilityView Probabilities(string path, TrainedModel model, DataSet test, int index)
    {
        Examples.CheckIndex(test, index, "test");
        var logits = Evaluator.Collect(model.Session, model.Graph, Examples.Subset(test, [index]), 1, model.Graph.Logits);
        var probabilities = Softmax(logits);
        int label = test.Labels[index];
        int predicted = Array.IndexOf(probabilities, probabilities.Max());
        var names = test.ClassNames;
        var size = ProbabilityBars.Write(path, probabilities, label, Examples.Image(test, index), classNames: names,
            title: $"{model.Model.Name}, test image {index}: predicted {names[predicted]}, true {names[label]}");
        return new ProbabilityView(size, probabilities, label, predicted);
    }

    /// <summary>exp(z − max z) / Σ exp(z − max z): the shift keeps exp from overflowing and changes nothing else.</summary>
    private static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        var e = logits.Select(z => Math.Exp(z - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => (float)(v / sum)).ToArray();
    }
}
