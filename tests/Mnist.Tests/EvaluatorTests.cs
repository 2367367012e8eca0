using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Tests;

/// <summary>Evaluation in batches covers every example, the last partial batch included, whatever the batch size.</summary>
public class EvaluatorTests
{
    [Fact]
    public void BatchSizeDoesNotChangeThePredictions()
    {
        var data = InputData.ReadDataSets().Test;
        var subset = new DataSet(data.Images[..(150 * 784)], data.Labels[..150]);
        var model = new SoftmaxRegression();
        var graph = model.Build(model.DefaultSettings);
        using var session = new Session(graph.Graph);
        session.Run(graph.Graph.GlobalVariablesInitializer());
        // Give the model non-trivial weights: a few steps of the recipe on the same examples.
        var train = session.MakeCallable([], [graph.Images, graph.Labels], graph.TrainOp);
        var images = new float[150 * 784];
        var labels = new float[150 * 10];
        subset.GatherImages(0, 150, images);
        subset.GatherOneHotLabels(0, 150, labels);
        for (int i = 0; i < 5; i++) train.Run(HostTensor.From(images, 150, 784), HostTensor.From(labels, 150, 10));

        var whole = Evaluator.Evaluate(session, graph, subset, 150);
        foreach (int batch in new[] { 1, 64, 149 })
        {
            var (accuracy, predictions) = Evaluator.Evaluate(session, graph, subset, batch);
            Assert.Equal(whole.Predictions, predictions);
            Assert.Equal(whole.Accuracy, accuracy);
        }
        Assert.InRange(whole.Accuracy, 0.5, 1.0);
    }
}
