using Flow;
using Mnist.Data;
using Mnist.Models;
using Mnist.Training;

namespace Mnist.Web;

/// <summary>
/// One loaded model, shared by every request for it. A Flow <see cref="Session"/> is not safe for two
/// callers at once (its plan cache and the plans' buffers are shared), so runs are serialised by a lock;
/// the CPU kernels already spread one run over all cores, so parallel sessions would only fight for them.
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TrainedModel _trained;
    private readonly Callable _logits;
    private readonly HostTensor[] _feeds;
    private readonly float[] _image = new float[MnistLayout.ImagePixels];

    public ModelSession(TrainedModel trained)
    {
        _trained = trained;
        var graph = trained.Graph;
        var feeds = new List<Tensor> { graph.Images };
        var values = new List<HostTensor> { HostTensor.From(_image, 1, MnistLayout.ImagePixels) };
        foreach (var (placeholder, modes) in graph.ModeFeeds) { feeds.Add(placeholder); values.Add(modes.Eval); }
        _logits = trained.Session.MakeCallable([graph.Logits], feeds.ToArray());
        _feeds = values.ToArray();
    }

    public MnistModel Model => _trained.Model;
    public TrainedModel Trained => _trained;

    /// <param name="pixels">784 values in [0, 1] (MNIST's scaling; converted here to the model's own).</param>
    /// <returns>The ten class probabilities (softmax of the logits).</returns>
    public float[] Probabilities(ReadOnlySpan<float> pixels)
    {
        lock (_gate)
        {
            float shift = _trained.Model.Scaling == PixelScaling.MinusHalfToHalf ? -0.5f : 0f;
            for (int i = 0; i < _image.Length; i++) _image[i] = pixels[i] + shift;
            return Softmax(_logits.Run(_feeds)[0].AsSpan<float>());
        }
    }

    /// <summary>Runs <paramref name="work"/> with the session to itself (e.g. a whole-data-set evaluation).</summary>
    public T Exclusive<T>(Func<TrainedModel, T> work)
    {
        lock (_gate) return work(_trained);
    }

    private static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var p = new float[logits.Length];
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v);
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum += p[i] = MathF.Exp(logits[i] - max);
        for (int i = 0; i < p.Length; i++) p[i] = (float)(p[i] / sum);
        return p;
    }

    public void Dispose() => _trained.Dispose();
}
