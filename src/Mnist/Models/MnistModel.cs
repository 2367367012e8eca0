using Flow;
using Flow.Train;
using Mnist.Data;
using Mnist.Training;

namespace Mnist.Models;

/// <summary>One of the tutorials' models: its name, its recipe, and how to build its graph.</summary>
public abstract class MnistModel
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract TrainingSettings DefaultSettings { get; }
    public virtual PixelScaling Scaling => PixelScaling.ZeroToOne;
    /// <summary>Floating-point operations of one training step per image (forward + backward), for the bench.</summary>
    public abstract double TrainFlopsPerImage { get; }

    public abstract ModelGraph Build(TrainingSettings settings);

    /// <summary>How training batches are drawn: TF's shuffled next_batch, or in file order (convolutional.py).</summary>
    public virtual BatchOrder BatchOrder => BatchOrder.Shuffled;
    /// <summary>Whether the tutorial measures validation accuracy at each logged step (convolutional.py does); done
    /// when its own logging interval is asked for, else validation is measured at fixed points like any model's.</summary>
    public virtual bool ValidatesWhenLogging => false;

    /// <summary>Adam at <paramref name="rate"/>, with the settings' weight decay on every weight of rank ≥ 2 (matrices and
    /// filters; biases and batch-norm scales and offsets are left alone, as is usual for AdamW).</summary>
    protected static AdamOptimizer Adam(Tensor rate, TrainingSettings s) =>
        new(rate, weightDecay: s.WeightDecay, decays: IsWeight);

    /// <summary>As the tensor overload, for a fixed rate.</summary>
    protected static AdamOptimizer Adam(double rate, TrainingSettings s) =>
        new(rate, weightDecay: s.WeightDecay, decays: IsWeight);

    private static bool IsWeight(Variable v) => v.Shape.Rank >= 2;

    /// <summary>Whether the model trains with <see cref="Adam"/>, so honours <see cref="TrainingSettings.WeightDecay"/>
    /// (WeightDecayTests build every model to check that this says what its graph does).</summary>
    public virtual bool HonoursWeightDecay => false;

    /// <summary>Training steps for the settings and a training set of <paramref name="trainSize"/> examples.</summary>
    public virtual int StepsFor(TrainingSettings s, int trainSize) =>
        s.Epochs is double e ? (int)((long)(e * trainSize) / s.BatchSize) : s.Steps;

    /// <summary>The progress lines of a logged step, in the tutorial's wording.</summary>
    public virtual IEnumerable<string> FormatLog(StepMetrics m, double msPerStep, int batchSize, int trainSize) =>
        [$"step {m.Step}, loss {m.Loss:F4}, training accuracy {m.BatchAccuracy:G4}"];

    /// <summary>Extra closing lines in the tutorial's wording, after "test accuracy: X".</summary>
    public virtual IEnumerable<string> FormatResult(TrainResult result) => [];

    /// <summary>The data to train on: the settings' data set, or the model's own fake data for a self-test.</summary>
    public virtual DataSets LoadData(TrainingSettings s, DataOptions options, Action<string>? progress) =>
        (options with { DataSet = s.DataSet }).Load(Scaling, (ulong)s.Seed, progress);
}

public enum BatchOrder { Shuffled, InOrder }

/// <summary>The models by name, as the CLI's --model option knows them.</summary>
public static class ModelCatalog
{
    public static IReadOnlyList<MnistModel> All { get; } = [new SoftmaxRegression(), new DeepCnn(), new LeNet5(), new DeeperMlp(), new BestCnn()];

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    /// <summary>The models that take --weight-decay.</summary>
    public static string[] WithWeightDecay => All.Where(m => m.HonoursWeightDecay).Select(m => m.Name).ToArray();

    public static MnistModel Get(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}");
}
