using Flow;

namespace Mnist.Models;

/// <summary>How a model wants its labels fed.</summary>
public enum LabelFormat { OneHot, Index }

/// <summary>The handles of a built model graph that training, evaluation and prediction use.</summary>
public sealed class ModelGraph
{
    public required Graph Graph { get; init; }
    /// <summary>float32 [?, 784] placeholder.</summary>
    public required Tensor Images { get; init; }
    /// <summary>float32 [?, 10] one-hot or int32 [?] placeholder, per <see cref="LabelFormat"/>.</summary>
    public required Tensor Labels { get; init; }
    public required LabelFormat LabelFormat { get; init; }
    /// <summary>[?, 10] unnormalised class scores.</summary>
    public required Tensor Logits { get; init; }
    public required Tensor Loss { get; init; }
    public required Operation TrainOp { get; init; }
    /// <summary>int32 [?]: argmax of the logits.</summary>
    public required Tensor Predictions { get; init; }
    /// <summary>Fraction of the batch whose prediction equals the label.</summary>
    public required Tensor Accuracy { get; init; }
    /// <summary>Placeholders fed differently when training and evaluating (dropout's keep probability).</summary>
    public IReadOnlyDictionary<Tensor, (HostTensor Train, HostTensor Eval)> ModeFeeds { get; init; } =
        new Dictionary<Tensor, (HostTensor, HostTensor)>();
    /// <summary>The learning rate as a tensor, when it changes during training.</summary>
    public Tensor? LearningRate { get; init; }
    /// <summary>
    /// float32 [?, k]: what the final dense layer reads, the model's own picture of an image (the
    /// projector maps it); the pixels themselves for softmax regression, which has no hidden layer.
    /// </summary>
    public required Tensor Embedding { get; init; }
    /// <summary>The variables that make up the trained model (saved in model files).</summary>
    public required IReadOnlyList<Variable> Parameters { get; init; }
}
