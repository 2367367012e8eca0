using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Flow.Tests.Export;

/// <summary>Runs an exported model in ONNX Runtime, the external oracle (shared by Flow.Tests and Mnist.Tests).</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>Feeds one float32 input [rows, columns] and returns every named output as a flat float array.</summary>
    public static Dictionary<string, float[]> Run(byte[] model, string inputName, float[] input, int rows, int columns, params string[] outputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var feed = new DenseTensor<float>(input, [rows, columns]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, feed)], outputs);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    /// <summary>The largest |a[i] − b[i]|.</summary>
    public static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
