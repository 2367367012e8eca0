using Flow;
using Flow.Train;

namespace Mnist.Models;

/// <summary>
/// "Deep MNIST for Experts" (mnist_deep.py): conv 5×5×32 → pool → conv 5×5×64 → pool → fc 1024 →
/// dropout → fc 10; truncated-normal(0.1) weights, biases 0.1, Adam 1e-4, 20,000 steps of 50 — ~99.2%.
/// </summary>
public sealed class DeepCnn : MnistModel
{
    public override string Name => "deep";
    public override string Description => "two conv layers, fc 1024, dropout (Deep MNIST for Experts), ~99.2%";
    public override bool HonoursWeightDecay => true;
    public override TrainingSettings DefaultSettings => new() { Steps = 20000, BatchSize = 50, LearningRate = 1e-4, EvalBatchSize = 100 };
    public override double TrainFlopsPerImage => ConvNetFlops.PerTrainingImage(fc1: 1024);

    public override IEnumerable<string> FormatLog(Training.StepMetrics m, double msPerStep, int batchSize, int trainSize) =>
        [$"step {m.Step}, training accuracy {m.BatchAccuracy:G6}"];

    public override ModelGraph Build(TrainingSettings settings)
    {
        var g = new Graph(settings.Seed);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var yTrue = g.Placeholder(DType.Float32, new Shape(-1, 10), "y_");
        var keepProb = g.Placeholder(DType.Float32, Shape.Scalar, "keep_prob");

        var image = Tf.Reshape(x, new Shape(-1, 28, 28, 1));
        var wConv1 = Layers.Weight(g, new Shape(5, 5, 1, 32), "conv1/W");
        var bConv1 = Layers.Bias(g, 32, "conv1/b");
        var pool1 = MaxPool2x2(Tf.Relu(Tf.BiasAdd(Tf.Conv2D(image, wConv1, 1, 1, "SAME"), bConv1)));
        var wConv2 = Layers.Weight(g, new Shape(5, 5, 32, 64), "conv2/W");
        var bConv2 = Layers.Bias(g, 64, "conv2/b");
        var pool2 = MaxPool2x2(Tf.Relu(Tf.BiasAdd(Tf.Conv2D(pool1, wConv2, 1, 1, "SAME"), bConv2)));
        var (fc1, wFc1, bFc1) = Layers.Dense(Tf.Reshape(pool2, new Shape(-1, 7 * 7 * 64)), 1024, "fc1");
        var hidden = Tf.Relu(fc1);
        var dropped = Tf.Dropout(hidden, keepProb);
        var (logits, wFc2, bFc2) = Layers.Dense(dropped, 10, "fc2");

        var loss = Tf.ReduceMean(Tf.SoftmaxCrossEntropyWithLogits(yTrue, logits), name: "cross_entropy");
        var train = Adam(settings.LearningRate, settings).Minimize(loss);
        var (predictions, accuracy) = Layers.Accuracy(logits, yTrue);
        return new ModelGraph
        {
            Graph = g, Images = x, Labels = yTrue, LabelFormat = LabelFormat.OneHot, Logits = logits, Loss = loss,
            TrainOp = train, Predictions = predictions, Accuracy = accuracy, Embedding = hidden,
            ModeFeeds = new Dictionary<Tensor, (HostTensor, HostTensor)> { [keepProb] = (HostTensor.Scalar(0.5f), HostTensor.Scalar(1f)) },
            Parameters = [wConv1, bConv1, wConv2, bConv2, wFc1, bFc1, wFc2, bFc2],
        };
    }

    internal static Tensor MaxPool2x2(Tensor x) => Tf.MaxPool(x, [2, 2], [2, 2], "SAME");
}

/// <summary>FLOPs of the two tutorials' conv nets (they share the conv stack and differ in fc1's width).</summary>
internal static class ConvNetFlops
{
    /// <summary>Forward 2·MACs; backward computes weight and input gradients (2× forward), except conv1's input gradient.</summary>
    public static double PerTrainingImage(int fc1)
    {
        double conv1 = 2.0 * 28 * 28 * 32 * 5 * 5 * 1, conv2 = 2.0 * 14 * 14 * 64 * 5 * 5 * 32;
        double dense = 2.0 * (7 * 7 * 64 * fc1 + fc1 * 10);
        double forward = conv1 + conv2 + dense;
        return forward + conv1 + 2 * conv2 + 2 * dense;
    }
}
