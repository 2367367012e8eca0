using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// The checks on settings that need the training set's size, made before anything is built or trained:
/// a run must have between 1 and int.MaxValue steps and batches no larger than the set.
/// </summary>
public static class TrainingLimits
{
    /// <exception cref="SettingsException">The settings make no run, or one too long to count.</exception>
    public static void Check(MnistModel model, TrainingSettings s, int trainSize)
    {
        if (!double.IsFinite(s.LearningRate) || s.LearningRate <= 0)
            throw new SettingsException($"learning rate {s.LearningRate} is not a positive finite number");
        if (s.BatchSize <= 0) throw new SettingsException($"batch size {s.BatchSize} is not positive");
        if (s.BatchSize > trainSize)
            throw new SettingsException($"batch size {s.BatchSize} exceeds the {trainSize} examples of the training set");
        if (s.Epochs is double e)
        {
            double steps = Math.Floor(e * trainSize) / s.BatchSize;
            if (!double.IsFinite(e) || e <= 0 || steps > int.MaxValue)
                throw new SettingsException($"{e} epochs of {trainSize} examples in batches of {s.BatchSize} is not a number of steps from 1 to {int.MaxValue}");
        }
        int n = model.StepsFor(s, trainSize);
        if (n <= 0)
            throw new SettingsException(s.Epochs is double epochs
                ? $"{epochs} epochs of {trainSize} examples in batches of {s.BatchSize} make 0 steps"
                : $"{n} steps: a run needs at least one");
    }
}
