using Mnist.Data;
using Mnist.Models;
using Mnist.Reports;

namespace Mnist.Training;

/// <summary>A saved model measured on the validation and test sets: overall and per-class accuracy.</summary>
public sealed record ModelEvaluation(string Model, double ValidationAccuracy, double TestAccuracy, double[] TestAccuracyPerClass)
{
    public static ModelEvaluation Run(TrainedModel model, DataSets data)
    {
        int batch = model.Settings.EvalBatchSize;
        var (validation, _) = Evaluator.Evaluate(model.Session, model.Graph, data.Validation, batch);
        var (test, predictions) = Evaluator.Evaluate(model.Session, model.Graph, data.Test, batch);
        var perClass = ConfusionMatrix.PerClassAccuracy(ConfusionMatrix.Count(data.Test.Labels, predictions));
        return new ModelEvaluation(model.Model.Name, validation, test, perClass);
    }
}
