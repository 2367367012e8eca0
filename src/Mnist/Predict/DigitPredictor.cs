using Flow;
using Mnist.Models;

namespace Mnist.Predict;

/// <summary>One digit's class probabilities, most likely first.</summary>
public sealed record DigitPrediction(IReadOnlyList<(int Digit, float Probability)> Ranked)
{
    public int Digit => Ranked[0].Digit;
    public float Probability => Ranked[0].Probability;
}

/// <summary>
/// Runs a trained model, or an ensemble (the mean of the models' probabilities, <see cref="Ensemble.Mean"/>),
/// on 28×28 inputs in read_data_sets' [0, 1] (what <see cref="MnistPreprocessor"/> makes).
/// </summary>
public sealed class DigitPredictor
{
    private readonly Member[] _members;

    public DigitPredictor(TrainedModel trained) : this([trained]) { }

    public DigitPredictor(IReadOnlyList<TrainedModel> models)
    {
        if (models.Count == 0) throw new ArgumentException("a prediction needs at least one model", nameof(models));
        _members = models.Select(m => new Member(m)).ToArray();
    }

    public DigitPrediction Predict(ReadOnlySpan<float> pixels)
    {
        if (pixels.Length != Member.Pixels) throw new ArgumentException($"an input has {Member.Pixels} pixels, got {pixels.Length}");
        var probabilities = new float[_members.Length][];
        for (int m = 0; m < _members.Length; m++) probabilities[m] = _members[m].Probabilities(pixels);
        var p = Ensemble.Mean(probabilities);
        return new DigitPrediction(p.Select((v, d) => (d, v)).OrderByDescending(x => x.v).ThenBy(x => x.d).ToArray());
    }

    /// <summary>One model's softmax at batch 1, with its own input buffer in its own pixel scaling.</summary>
    private sealed class Member
    {
        public const int Pixels = MnistPreprocessor.Side * MnistPreprocessor.Side;
        private readonly Callable _run;
        private readonly HostTensor[] _feeds;
        private readonly float[] _image = new float[Pixels];
        private readonly (double Scale, double Shift) _scaling;

        public Member(TrainedModel trained)
        {
            var g = trained.Graph;
            var feeds = new List<Tensor> { g.Images };
            var values = new List<HostTensor> { HostTensor.From(_image, 1, _image.Length) };
            foreach (var (placeholder, modes) in g.ModeFeeds) { feeds.Add(placeholder); values.Add(modes.Eval); }
            _run = trained.Session.MakeCallable([Tf.Softmax(g.Logits)], feeds.ToArray());
            _feeds = values.ToArray();
            _scaling = PixelAffine.FromUnit(trained.Model.Scaling);
        }

        public float[] Probabilities(ReadOnlySpan<float> pixels)
        {
            // The model's own scaling of [0, 1] pixels (LeNet's [−0.5, 0.5]), as its training data had it.
            for (int i = 0; i < pixels.Length; i++) _image[i] = (float)(pixels[i] * _scaling.Scale + _scaling.Shift);
            return _run.Run(_feeds)[0].ToFloatArray();
        }
    }
}
