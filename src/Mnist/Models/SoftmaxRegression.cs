using Flow;
using Flow.Train;

namespace Mnist.Models;

/// <summary>
/// "MNIST For ML Beginners" (mnist_softmax.py): y = softmax(xW + b) with W, b zeros, mean
/// cross-entropy in the stable fused form, gradient descent 0.5, 1000 steps of 100 — about 92%.
/// </summary>
public sealed class SoftmaxRegression : MnistModel
{
    public override string Name => "softmax";
    public override string Description => "softmax regression (MNIST For ML Beginners), ~92%";
    public override TrainingSettings DefaultSettings => new() { Steps = 1000, BatchSize = 100, LearningRate = 0.5 };
    // Forward xW (2·784·10) and backward dW = xᵀ·dy (2·784·10); the rest is O(10) per image.
    public override double TrainFlopsPerImage => 4 * 784 * 10;

    public override ModelGraph Build(TrainingSettings settings)
    {
        var g = new Graph(settings.Seed);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var yTrue = g.Placeholder(DType.Float32, new Shape(-1, 10), "y_");
        var w = g.Variable(g.Zeros(new Shape(784, 10)), "W");
        var b = g.Variable(g.Zeros(new Shape(10)), "b");
        var logits = Tf.MatMul(x, w) + b;
        var loss = Tf.ReduceMean(Tf.SoftmaxCrossEntropyWithLogits(yTrue, logits), name: "cross_entropy");
        var train = new GradientDescentOptimizer(settings.LearningRate).Minimize(loss);
        var (predictions, accuracy) = Layers.Accuracy(logits, yTrue);
        return new ModelGraph
        {
            Graph = g, Images = x, Labels = yTrue, LabelFormat = LabelFormat.OneHot, Logits = logits, Loss = loss,
            TrainOp = train, Predictions = predictions, Accuracy = accuracy, Embedding = x,
            Parameters = [w, b],
        };
    }
}
