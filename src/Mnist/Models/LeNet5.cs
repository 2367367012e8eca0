using Flow;
using Flow.Train;
using Mnist.Data;
using Mnist.Training;

namespace Mnist.Models;

/// <summary>
/// The "MNIST Tutorial" notebook's LeNet-5-like model (convolutional.py): pixels scaled to [-0.5, 0.5],
/// conv 5×5×32 → pool → conv 5×5×64 → pool → fc 512 → dropout (training only) → fc 10, L2 5e-4 on the
/// fully connected layers, momentum 0.9, learning rate 0.01·0.95^epoch (staircase), batches of 64 in
/// file order, 10 epochs — about 0.8% test error.
/// </summary>
public sealed class LeNet5 : MnistModel
{
    private const int Seed = 66478;
    // MNIST's training set less validation: the decay's epoch where no run says otherwise (bench, a loaded model).
    private const int TrainSize = 55000;

    public override string Name => "lenet";
    public override string Description => "LeNet-5-like convolutional.py: conv-pool-conv-pool-fc512-dropout, momentum, ~0.8% error";
    public override TrainingSettings DefaultSettings => new()
        { Steps = 0, Epochs = 10, BatchSize = 64, LearningRate = 0.01, LogEvery = 250, EvalBatchSize = 64, Seed = Seed };
    public override PixelScaling Scaling => PixelScaling.MinusHalfToHalf;
    public override BatchOrder BatchOrder => BatchOrder.InOrder;
    public override bool ValidatesWhenLogging => true;
    public override double TrainFlopsPerImage => ConvNetFlops.PerTrainingImage(fc1: 512);

    public override IEnumerable<string> FormatLog(StepMetrics m, double msPerStep, int batchSize, int trainSize)
    {
        yield return $"Step {m.Step} (epoch {(double)m.Step * batchSize / trainSize:F2}), {msPerStep:F1} ms";
        yield return $"Minibatch loss: {m.Loss:F3}, learning rate: {m.LearningRate:F6}";
        yield return $"Minibatch error: {100 * (1 - m.BatchAccuracy):F1}%";
        if (m.ValidationAccuracy is double v) yield return $"Validation error: {100 * (1 - v):F1}%";
    }

    public override IEnumerable<string> FormatResult(TrainResult result) => [$"Test error: {100 * (1 - result.TestAccuracy):F1}%"];

    /// <summary>The self-test's data: label = index mod 2, every pixel = label − 0.5 (fake_data in convolutional.py).</summary>
    public override DataSets LoadData(TrainingSettings s, DataOptions options, Action<string>? progress)
    {
        if (!s.SelfTest) return base.LoadData(s, options, progress);
        static DataSet Fake(int n, int seed)
        {
            var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 2)).ToArray();
            var images = labels.SelectMany(l => Enumerable.Repeat(l == 1 ? (byte)255 : (byte)0, 784)).ToArray();
            return new DataSet(images, labels, PixelScaling.MinusHalfToHalf, (ulong)seed);
        }
        return new DataSets(Fake(256, s.Seed), Fake(s.EvalBatchSize, s.Seed), Fake(s.EvalBatchSize, s.Seed));
    }

    /// <summary>A self-test trains one epoch, as convolutional.py's, unless --steps asks for more (the recipe's epochs are then gone).</summary>
    public override int StepsFor(TrainingSettings s, int trainSize) =>
        s.SelfTest && s.Epochs is not null ? trainSize / s.BatchSize : base.StepsFor(s, trainSize);

    public override ModelGraph Build(TrainingSettings settings)
    {
        var g = new Graph(settings.Seed);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "train_data_node");
        var labels = g.Placeholder(DType.Int32, new Shape(-1), "train_labels_node");
        var training = g.Placeholder(DType.Float32, Shape.Scalar, "keep_prob");
        int seed = settings.Seed;

        var conv1W = g.Variable(g.TruncatedNormal(new Shape(5, 5, 1, 32), stddev: 0.1, seed: seed), "conv1_weights");
        var conv1B = g.Variable(g.Zeros(new Shape(32)), "conv1_biases");
        var conv2W = g.Variable(g.TruncatedNormal(new Shape(5, 5, 32, 64), stddev: 0.1, seed: seed), "conv2_weights");
        var conv2B = g.Variable(g.Fill(new Shape(64), 0.1), "conv2_biases");
        var fc1W = g.Variable(g.TruncatedNormal(new Shape(7 * 7 * 64, 512), stddev: 0.1, seed: seed), "fc1_weights");
        var fc1B = g.Variable(g.Fill(new Shape(512), 0.1), "fc1_biases");
        var fc2W = g.Variable(g.TruncatedNormal(new Shape(512, 10), stddev: 0.1, seed: seed), "fc2_weights");
        var fc2B = g.Variable(g.Fill(new Shape(10), 0.1), "fc2_biases");

        var image = Tf.Reshape(x, new Shape(-1, 28, 28, 1));
        var pool1 = DeepCnn.MaxPool2x2(Tf.Relu(Tf.BiasAdd(Tf.Conv2D(image, conv1W, 1, 1, "SAME"), conv1B)));
        var pool2 = DeepCnn.MaxPool2x2(Tf.Relu(Tf.BiasAdd(Tf.Conv2D(pool1, conv2W, 1, 1, "SAME"), conv2B)));
        var hidden = Tf.Relu(Tf.MatMul(Tf.Reshape(pool2, new Shape(-1, 7 * 7 * 64)), fc1W) + fc1B);
        // Dropout only while training: the keep probability is fed 0.5 then, 1 (an exact identity) otherwise.
        var logits = Tf.MatMul(Tf.Dropout(hidden, training, seed: seed), fc2W) + fc2B;

        var regularizers = Tf.L2Loss(fc1W) + Tf.L2Loss(fc1B) + Tf.L2Loss(fc2W) + Tf.L2Loss(fc2B);
        var loss = Tf.ReduceMean(Tf.SparseSoftmaxCrossEntropyWithLogits(labels, logits)) + 5e-4 * regularizers;
        var batch = TrainingUtil.CreateGlobalStep(g);
        var rate = LearningRates.ExponentialDecay(settings.LearningRate, batch.Value * (double)settings.BatchSize,
            settings.TrainSize ?? TrainSize, 0.95, staircase: true);
        var train = new MomentumOptimizer(rate, 0.9).Minimize(loss, globalStep: batch);
        var (predictions, accuracy) = Layers.Accuracy(logits, labels);
        return new ModelGraph
        {
            Graph = g, Images = x, Labels = labels, LabelFormat = LabelFormat.Index, Logits = logits, Loss = loss,
            TrainOp = train, Predictions = predictions, Accuracy = accuracy, LearningRate = rate, Embedding = hidden,
            ModeFeeds = new Dictionary<Tensor, (HostTensor, HostTensor)> { [training] = (HostTensor.Scalar(0.5f), HostTensor.Scalar(1f)) },
            Parameters = [conv1W, conv1B, conv2W, conv2B, fc1W, fc1B, fc2W, fc2B],
        };
    }
}
