namespace Mnist.Models;

/// <summary>A training recipe: each model has its tutorial's defaults; the CLI overrides single fields.</summary>
public sealed record TrainingSettings
{
    public required int Steps { get; init; }
    public required int BatchSize { get; init; }
    public required double LearningRate { get; init; }
    public int Seed { get; init; }
    /// <summary>Epochs to train, for recipes counted in epochs (LeNet); overrides <see cref="Steps"/> when set.</summary>
    public double? Epochs { get; init; }
    /// <summary>Train on 256 fake images for one epoch, as convolutional.py's --self_test.</summary>
    public bool SelfTest { get; init; }
    /// <summary>Print a progress line every this many steps.</summary>
    public int LogEvery { get; init; } = 100;
    /// <summary>Examples per evaluation batch (the last batch may be partial).</summary>
    public int EvalBatchSize { get; init; } = 1000;
    /// <summary>Worker threads for the CPU kernels (default: one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>The recipe as name → value strings (printed, and stored in model files); epochs replace steps when set.</summary>
    public IReadOnlyDictionary<string, string> Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var d = new SortedDictionary<string, string>
        {
            ["batch_size"] = BatchSize.ToString(inv),
            ["learning_rate"] = LearningRate.ToString("R", inv),
            ["seed"] = Seed.ToString(inv),
        };
        if (Epochs is double e) d["epochs"] = e.ToString("R", inv);
        else d["steps"] = Steps.ToString(inv);
        return d;
    }
}
