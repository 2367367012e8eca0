using Flow;
using Mnist.Models;

namespace Mnist.Predict;

/// <summary>One digit's class probabilities, most likely first.</summary>
public sealed record DigitPrediction(IReadOnlyList<(int Digit, float Probability)> Ranked)
{
    public int Digit => Ranked[0].Digit;
    public float Probability => Ranked[0].Probability;
}

/// <summary>Runs a trained model on 28×28 inputs in read_data_sets' [0, 1] (what <see cref="MnistPreprocessor"/> makes).</summary>
public sealed class DigitPredictor
{
    private readonly Callable _run;
    private readonly HostTensor[] _feeds;
    private readonly float[] _image = new float[MnistPreprocessor.Side * MnistPreprocessor.Side];
    private readonly (double Scale, double Shift) _scaling;

    public DigitPredictor(TrainedModel trained)
    {
        var g = trained.Graph;
        var feeds = new List<Tensor> { g.Images };
        var values = new List<HostTensor> { HostTensor.From(_image, 1, _image.Length) };
        foreach (var (placeholder, modes) in g.ModeFeeds) { feeds.Add(placeholder); values.Add(modes.Eval); }
        _run = trained.Session.MakeCallable([Tf.Softmax(g.Logits)], feeds.ToArray());
        _feeds = values.ToArray();
        _scaling = PixelAffine.FromUnit(trained.Model.Scaling);
    }

    public DigitPrediction Predict(ReadOnlySpan<float> pixels)
    {
        if (pixels.Length != _image.Length) throw new ArgumentException($"an input has {_image.Length} pixels, got {pixels.Length}");
        // The model's own scaling of [0, 1] pixels (LeNet's [−0.5, 0.5]), as its training data had it.
        for (int i = 0; i < pixels.Length; i++) _image[i] = (float)(pixels[i] * _scaling.Scale + _scaling.Shift);
        var p = _run.Run(_feeds)[0].ToFloatArray();
        return new DigitPrediction(p.Select((v, d) => (d, v)).OrderByDescending(x => x.v).ThenBy(x => x.d).ToArray());
    }
}
