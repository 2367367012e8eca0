using Mnist.Data;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>A saved model measured on the validation and test sets: overall and per-class accuracy.</summary>
public sealed record ModelEvaluation(string Model, double ValidationAccuracy, double TestAccuracy, double[] TestAccuracyPerClass)
{
    public static ModelEvaluation Run(TrainedModel model, DataSets data)
    {
        int batch = model.Settings.EvalBatchSize;
        var (validation, _) = Evaluator.Evaluate(model.Session, model.Graph, data.Validation, batch);
        var (test, predictions) = Evaluator.Evaluate(model.Session, model.Graph, data.Test, batch);
        var right = new int[10];
        var seen = new int[10];
        for (int i = 0; i < predictions.Length; i++)
        {
            int label = data.Test.Labels[i];
            seen[label]++;
            if (predictions[i] == label) right[label]++;
        }
        return new ModelEvaluation(model.Model.Name, validation, test,
            right.Select((r, c) => seen[c] == 0 ? double.NaN : (double)r / seen[c]).ToArray());
    }
}
