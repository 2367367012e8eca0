using Flow;

namespace Mnist.Models;

/// <summary>The tutorials' building blocks: weight and bias variables as they initialise them, dense layers.</summary>
internal static class Layers
{
    /// <summary>Truncated normal (stddev 0.1) weights, as weight_variable in mnist_deep.py.</summary>
    public static Variable Weight(Graph g, Shape shape, string name, int? seed = null) =>
        g.Variable(Tf.TruncatedNormal(g, shape, stddev: 0.1, seed: seed), name);

    /// <summary>A constant bias (0.1 in mnist_deep.py, so ReLUs start active).</summary>
    public static Variable Bias(Graph g, int size, string name, double value = 0.1) =>
        g.Variable(g.Fill(new Shape(size), value), name);

    /// <summary>x·W + b for x [?, in] → [?, out]; returns the layer's variables too.</summary>
    public static (Tensor Output, Variable W, Variable B) Dense(Tensor x, int outputs, string name, double bias = 0.1, int? seed = null)
    {
        var g = x.Graph;
        var w = Weight(g, new Shape(x.Shape[1], outputs), name + "/W", seed);
        var b = Bias(g, outputs, name + "/b", bias);
        return (Tf.BiasAdd(Tf.MatMul(x, w), b), w, b);
    }

    /// <summary>Argmax predictions and batch accuracy against int or one-hot labels.</summary>
    public static (Tensor Predictions, Tensor Accuracy) Accuracy(Tensor logits, Tensor labels)
    {
        var predictions = Tf.ArgMax(logits, 1);
        var truth = labels.DType == DType.Int32 ? labels : Tf.ArgMax(labels, 1);
        return (predictions, Tf.ReduceMean(Tf.Cast(Tf.Equal(predictions, truth), DType.Float32)));
    }
}
