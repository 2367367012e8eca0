using Mnist.Data;

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
}

/// <summary>The models by name, as the CLI's --model option knows them.</summary>
public static class ModelCatalog
{
    public static IReadOnlyList<MnistModel> All { get; } = [new SoftmaxRegression(), new DeeperMlp()];

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    public static MnistModel Get(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}");
}
