using System.Globalization;

namespace Mnist.Training;

/// <summary>The loss became NaN or ±Inf (TF's NanTensorHook): the run stops at that step and claims no trained model.</summary>
public sealed class TrainingDivergedException(int step, double loss, double learningRate, int? lastCheckpoint)
    : Exception(Describe(step, loss, learningRate, lastCheckpoint))
{
    public int Step { get; } = step;
    public int? LastCheckpoint { get; } = lastCheckpoint;

    private static string Describe(int step, double loss, double rate, int? lastCheckpoint)
    {
        string value = double.IsNaN(loss) ? "NaN" : loss > 0 ? "+Inf" : "-Inf";
        string checkpoint = lastCheckpoint is int m ? $"the last checkpoint is step {m}" : "there is no checkpoint";
        return string.Create(CultureInfo.InvariantCulture, $"loss is {value} at step {step} (learning rate {rate:G6}); {checkpoint}");
    }
}
