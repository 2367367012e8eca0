using Mnist.Data;
using Mnist.Reports;
using Mnist.Training;

namespace Mnist.Predict;

/// <summary>One member's own accuracy, beside the ensemble's.</summary>
public sealed record MemberAccuracy(string File, string Model, double ValidationAccuracy, double TestAccuracy);

/// <summary>
/// An ensemble measured on the validation and test sets: each member alone, and the ensemble (the mean of
/// their probabilities) overall and per class, with its test probabilities [N·10] in file order.
/// </summary>
public sealed record EnsembleEvaluation(IReadOnlyList<MemberAccuracy> Members, ModelEvaluation Ensemble, float[] TestProbabilities)
{
    public static EnsembleEvaluation Run(Ensemble ensemble, DataSets data)
    {
        var validation = ensemble.Run(data.Validation);
        var test = ensemble.Run(data.Test);
        var members = ensemble.Members.Select((m, i) => new MemberAccuracy(m.File, m.Trained.Model.Name,
            Accuracy(validation[i].Predictions, data.Validation.Labels), Accuracy(test[i].Predictions, data.Test.Labels))).ToArray();

        var validationGuesses = Predict.Ensemble.ArgMax(Predict.Ensemble.Mean(validation.Select(v => v.Probabilities).ToArray()));
        var testProbabilities = Predict.Ensemble.Mean(test.Select(t => t.Probabilities).ToArray());
        var testGuesses = Predict.Ensemble.ArgMax(testProbabilities);
        var perClass = ConfusionMatrix.PerClassAccuracy(ConfusionMatrix.Count(data.Test.Labels, testGuesses));
        string name = $"ensemble of {members.Length}";
        return new EnsembleEvaluation(members,
            new ModelEvaluation(name, Accuracy(validationGuesses, data.Validation.Labels), Accuracy(testGuesses, data.Test.Labels), perClass),
            testProbabilities);
    }

    private static double Accuracy(int[] predictions, byte[] labels) =>
        (double)predictions.Where((guess, i) => guess == labels[i]).Count() / Math.Max(1, labels.Length);
}
