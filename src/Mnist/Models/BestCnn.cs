using Flow;
using Flow.Train;
using Mnist.Training;

namespace Mnist.Models;

/// <summary>
/// Our best single model (issue 15): seven convolutions with batch normalization, in the pattern of the strongest
/// small Kaggle MNIST nets — 3×3, 3×3, 5×5 stride 2 over 32 channels, the same over 64, then a 4×4 convolution to
/// 128 channels (a dense layer over what is left of the image) — dropout 0.4 after each stage, fc 10; He-initialised, AdamW
/// (decoupled weight decay 0.01 on the filters and the fc matrix, torch.optim.AdamW's default) with a linear warm-up and a
/// cosine decay to zero, label smoothing 0.1, trained on randomly distorted images (<see cref="TrainingSettings.Augment"/>).
/// </summary>
public sealed class BestCnn : MnistModel
{
    private const int TrainSize = 55000;
    private const double KeepProb = 0.6, LabelSmoothing = 0.1, Momentum = 0.99;

    public override string Name => "best";
    public override string Description => "seven conv layers with batch norm, augmentation, cosine schedule: our best, ~99.7%";
    public override bool HonoursWeightDecay => true;
    public override TrainingSettings DefaultSettings => new()
        { Steps = 0, Epochs = 40, BatchSize = 64, LearningRate = 2e-3, EvalBatchSize = 500, LogEvery = 430, Augment = true, WeightDecay = 0.01 };

    public override double TrainFlopsPerImage => Flops.PerTrainingImage();

    public override ModelGraph Build(TrainingSettings settings)
    {
        var g = new Graph(settings.Seed);
        var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
        var yTrue = g.Placeholder(DType.Float32, new Shape(-1, 10), "y_");
        var keepProb = g.Placeholder(DType.Float32, Shape.Scalar, "keep_prob");
        var training = g.Placeholder(DType.Float32, Shape.Scalar, "training");
        var parameters = new List<Variable>();

        Tensor Conv(Tensor input, int size, int channels, int stride, string padding, string name)
        {
            var w = HeWeight(g, new Shape(size, size, input.Shape[3], channels), name + "/W");
            parameters.Add(w);
            // No bias: batch normalization's β takes its place.
            var bn = Tf.BatchNormalization(Tf.Conv2D(input, w, stride, stride, padding), training, Momentum, name: name + "/bn");
            parameters.AddRange([bn.Gamma, bn.Beta, bn.MovingMean, bn.MovingVariance]);
            return Tf.Relu(bn.Output);
        }

        var h = Tf.Reshape(x, new Shape(-1, 28, 28, 1));
        int[] widths = [32, 64];
        for (int stage = 0; stage < widths.Length; stage++)
        {
            string s = $"stage{stage + 1}";
            h = Conv(h, 3, widths[stage], 1, "VALID", s + "/conv1");
            h = Conv(h, 3, widths[stage], 1, "VALID", s + "/conv2");
            h = Conv(h, 5, widths[stage], 2, "SAME", s + "/conv3");
            h = Tf.Dropout(h, keepProb);
        }
        // 4×4×64 → 1×1×128: a dense layer written as the convolution that covers what is left of the image.
        h = Conv(h, 4, 128, 1, "VALID", "stage3/conv");
        var hidden = Tf.Reshape(h, new Shape(-1, 128));
        var (logits, wOut, bOut) = Layers.Dense(Tf.Dropout(hidden, keepProb), 10, "logits", bias: 0);
        parameters.AddRange([wOut, bOut]);

        var loss = Tf.SoftmaxCrossEntropyLoss(yTrue, logits, LabelSmoothing);
        var step = TrainingUtil.CreateGlobalStep(g);
        int steps = StepsFor(settings, settings.TrainSize ?? TrainSize);
        var rate = LearningRates.LinearWarmup(
            LearningRates.CosineDecay(settings.LearningRate, step.Value, Math.Max(1, steps)), step.Value, Math.Max(1, Math.Min(steps / 30, 500)));
        Operation train;
        // The moving statistics follow each training batch (TF's UPDATE_OPS idiom).
        using (g.ControlDependencies(g.UpdateOps.ToArray()))
            train = Adam(rate, settings).Minimize(loss, globalStep: step);
        var (predictions, accuracy) = Layers.Accuracy(logits, yTrue);
        return new ModelGraph
        {
            Graph = g, Images = x, Labels = yTrue, LabelFormat = LabelFormat.OneHot, Logits = logits, Loss = loss,
            TrainOp = train, Predictions = predictions, Accuracy = accuracy, LearningRate = rate, Embedding = hidden,
            ModeFeeds = new Dictionary<Tensor, (HostTensor, HostTensor)>
            {
                [keepProb] = (HostTensor.Scalar((float)KeepProb), HostTensor.Scalar(1f)),
                [training] = (HostTensor.Scalar(1f), HostTensor.Scalar(0f)),
            },
            Parameters = parameters,
        };
    }

    /// <summary>He initialisation, truncated (tf.keras he_normal): stddev √(2/fan_in), divided by 0.8796 for the truncation.</summary>
    private static Variable HeWeight(Graph g, Shape shape, string name)
    {
        int fanIn = shape[0] * shape[1] * shape[2];
        return g.Variable(Tf.TruncatedNormal(g, shape, stddev: Math.Sqrt(2.0 / fanIn) / 0.87962566103423978), name);
    }

    /// <summary>FLOPs of one training image: forward 2·MACs, backward twice that, less the first layer's input gradient.</summary>
    private static class Flops
    {
        public static double PerTrainingImage()
        {
            // (output cells, fan-in, channels) per convolution, and the final dense layer.
            (int Cells, int FanIn, int Channels)[] layers =
            [
                (26 * 26, 9, 32), (24 * 24, 9 * 32, 32), (12 * 12, 25 * 32, 32),
                (10 * 10, 9 * 32, 64), (8 * 8, 9 * 64, 64), (4 * 4, 25 * 64, 64),
                (1, 16 * 64, 128), (1, 128, 10),
            ];
            double forward = layers.Sum(l => 2.0 * l.Cells * l.FanIn * l.Channels);
            double first = 2.0 * layers[0].Cells * layers[0].FanIn * layers[0].Channels;
            return 3 * forward - first;
        }
    }
}
