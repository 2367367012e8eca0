using Flow;
using Flow.Train;

namespace Mnist.Models;

/// <summary>
/// The codelab's "Try deeper" lab, in the shape of Martin Görner's five-layer network: ReLU layers of
/// 200, 100, 60 and 30 units and a softmax layer, Adam with the learning rate decaying from 0.003
/// towards 0.0001 (lr = 0.0001 + 0.003·e^(−step/2000)), 10,000 steps of 100.
/// </summary>
public sealed class DeeperMlp : MnistModel
{
    private static readonly int[] Hidden = [200, 100, 60, 30];

    public override string Name => "mlp";
    public override string Description => "five-layer ReLU network 200-100-60-30-10 (codelab: try deeper), ~98%";
    public override bool HonoursWeightDecay => true;
    public override TrainingSettings DefaultSettings => new() { Steps = 10000, BatchSize = 100, LearningRate = 0.003 };
    // Multiply-adds per image: 784·200 + 200·100 + 100·60 + 60·30 + 30·10; ×2 forward, ×4 backward.
    public override double TrainFlopsPerImage => 6.0 * (784 * 200 + 200 * 100 + 100 * 60 + 60 * 30 + 30 * 10);

    public override ModelGraph Build(TrainingSettings settings)
    {
        var g = new Graph(settings.Seed);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var labels = g.Placeholder(DType.Int32, new Shape(-1), "labels");
        var parameters = new List<Variable>();
        Tensor h = x;
        for (int i = 0; i < Hidden.Length; i++)
        {
            var (z, w, b) = Layers.Dense(h, Hidden[i], $"hidden{i + 1}");
            h = Tf.Relu(z);
            parameters.AddRange([w, b]);
        }
        var (logits, wOut, bOut) = Layers.Dense(h, 10, "softmax_linear");
        parameters.AddRange([wOut, bOut]);
        var loss = Tf.ReduceMean(Tf.SparseSoftmaxCrossEntropyWithLogits(labels, logits), name: "cross_entropy");
        var step = TrainingUtil.CreateGlobalStep(g);
        var rate = LearningRates.ExponentialDecay(settings.LearningRate, step, 2000, Math.Exp(-1)) + 0.0001;
        var train = Adam(rate, settings).Minimize(loss, globalStep: step);
        var (predictions, accuracy) = Layers.Accuracy(logits, labels);
        return new ModelGraph
        {
            Graph = g, Images = x, Labels = labels, LabelFormat = LabelFormat.Index, Logits = logits, Loss = loss,
            TrainOp = train, Predictions = predictions, Accuracy = accuracy, LearningRate = rate, Parameters = parameters,
            Embedding = h,
        };
    }
}
