namespace Mnist.Training;

/// <summary>What the trainer measured at a logged step; one line of metrics.jsonl.</summary>
public sealed record StepMetrics(
    int Step,
    double Loss,
    double BatchAccuracy,
    double? ValidationAccuracy,
    double LearningRate,
    double ElapsedSeconds,
    int EpochsCompleted);

/// <summary>The outcome of a training run; <paramref name="TestPredictions"/> holds each test example's predicted class.</summary>
public sealed record TrainResult(
    string Model,
    int Steps,
    int BatchSize,
    int Seed,
    double TestAccuracy,
    double ValidationAccuracy,
    double TrainSeconds,
    double ImagesPerSecond,
    int[] TestPredictions)
{
    /// <summary>Stopped on request before the last step (<see cref="Steps"/> is then the steps done).</summary>
    public bool Stopped { get; init; }
    /// <summary>Of <see cref="TrainSeconds"/>, the time spent measuring validation accuracy at logged steps.</summary>
    public double ValidationSeconds { get; init; }
    /// <summary>Validation images measured at each validated logged step.</summary>
    public int ValidationImages { get; init; }
}
