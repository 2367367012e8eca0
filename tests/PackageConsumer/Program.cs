// The softmax tutorial (mnist_softmax.py) against the packed Flow library, as a user outside this repository
// would write it. The package test (tests/Mnist.Tests/Packaging) copies this folder to a fresh temporary
// directory, restores Flow from the packed .nupkg and runs it on the cached MNIST files.
using Flow;
using Flow.Train;

var dataDir = args.Length > 0 ? args[0] : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mnist");
var (trainX, trainY) = (Idx.Images(Path.Combine(dataDir, "train-images-idx3-ubyte")), Idx.OneHot(Path.Combine(dataDir, "train-labels-idx1-ubyte")));
var (testX, testY) = (Idx.Images(Path.Combine(dataDir, "t10k-images-idx3-ubyte")), Idx.OneHot(Path.Combine(dataDir, "t10k-labels-idx1-ubyte")));

var g = new Graph(seed: 1);
var x = g.Placeholder(DType.Float32, new Shape(-1, 784), "x");
var yTrue = g.Placeholder(DType.Float32, new Shape(-1, 10), "y_");
var w = g.Variable(g.Zeros(new Shape(784, 10)), "W");
var b = g.Variable(g.Zeros(new Shape(10)), "b");
var logits = Tf.MatMul(x, w) + b;
var loss = Tf.ReduceMean(Tf.SoftmaxCrossEntropyWithLogits(yTrue, logits));
var train = new GradientDescentOptimizer(0.5).Minimize(loss);
var correct = Tf.Equal(Tf.ArgMax(logits, 1), Tf.ArgMax(yTrue, 1));
var accuracy = Tf.ReduceMean(Tf.Cast(correct, DType.Float32));

using var session = new Session(g);
session.Run(g.GlobalVariablesInitializer());
for (int step = 0; step < 1000; step++)
{
    int start = step * 100 % 60000;
    session.Run([], new FeedDict { [x] = Idx.Rows(trainX, start, 100), [yTrue] = Idx.Rows(trainY, start, 100) }, train);
}
var acc = session.Run(accuracy, new FeedDict { [x] = testX, [yTrue] = testY }).ScalarValue();
Console.WriteLine($"test accuracy: {acc:F4}");

/// <summary>Just enough of the IDX format for this example: big-endian header, then bytes.</summary>
static class Idx
{
    public static HostTensor Images(string path)
    {
        var bytes = Read(path);
        int n = (bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7];
        var pixels = new float[n * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = bytes[16 + i] / 255f;
        return HostTensor.From(pixels, n, 784);
    }

    public static HostTensor OneHot(string path)
    {
        var bytes = Read(path);
        var hot = new float[(bytes.Length - 8) * 10];
        for (int i = 8; i < bytes.Length; i++) hot[(i - 8) * 10 + bytes[i]] = 1;
        return HostTensor.From(hot, bytes.Length - 8, 10);
    }

    /// <summary>The raw file, or its gzipped form as the data sets are published.</summary>
    private static byte[] Read(string path)
    {
        if (File.Exists(path)) return File.ReadAllBytes(path);
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(path + ".gz"), System.IO.Compression.CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gz.CopyTo(bytes);
        return bytes.ToArray();
    }

    public static HostTensor Rows(HostTensor t, int start, int count)
    {
        int width = t.Shape[1];
        return HostTensor.From(t.ToFloatArray().AsSpan(start * width, count * width).ToArray(), count, width);
    }
}
