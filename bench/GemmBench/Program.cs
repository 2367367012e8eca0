using System.Diagnostics;
using System.Runtime.InteropServices;
using Flow.Backends.Cpu;

// Prints GFLOP/s of Gemm.Multiply on the shapes a small convnet/MLP trains with (batch 50–100),
// single-threaded and with a pool of 2. Usage: GemmBench [filter-substring]
(string Name, bool TransA, bool TransB, int M, int N, int K)[] shapes =
[
    ("square 1024", false, false, 1024, 1024, 1024),
    ("square 512 TT", true, true, 512, 512, 512),
    ("mlp fwd [100,784]x[784,10]", false, false, 100, 10, 784),
    ("mlp dW x^T.dy", true, false, 784, 10, 100),
    ("conv1 fwd", false, false, 39200, 32, 25),
    ("conv1 dW", true, false, 25, 32, 39200),
    ("conv1 dX", false, true, 39200, 25, 32),
    ("conv1 dW chunk (26 images)", true, false, 25, 32, 20384),
    ("conv2 fwd", false, false, 9800, 64, 800),
    ("conv2 dW", true, false, 800, 64, 9800),
    ("conv2 dX", false, true, 9800, 800, 64),
    ("conv2 dW chunk (2 images)", true, false, 800, 64, 392),
    ("conv2 fwd one image", false, false, 196, 64, 800),
    ("conv2 dX one image", false, true, 196, 800, 64),
    ("fc1 fwd", false, false, 50, 1024, 3136),
    ("fc1 fwd one image", false, false, 1, 1024, 3136),
    ("fc1 dW", true, false, 3136, 1024, 50),
    ("fc1 dX", false, true, 50, 3136, 1024),
    ("fc2 fwd", false, false, 50, 10, 1024),
    ("fc2 dW", true, false, 1024, 10, 50),
    ("fc2 dX", false, true, 50, 1024, 10),
    ("best s1c2 fwd one image", false, false, 676, 32, 288),
    ("best s1c2 dW one image", true, false, 288, 32, 676),
    ("best s1c2 dX one image", false, true, 676, 288, 32),
    ("best s1c3 fwd two images", false, false, 288, 32, 800),
    ("best s1c3 dW two images", true, false, 800, 32, 288),
    ("best s2c2 fwd group", false, false, 600, 64, 576),
];

string? filter = args.Length > 0 ? args[0] : null;
using var pool = new WorkerPool(2);
Console.WriteLine($"{"shape",-28} {"T",1} {"m",6} {"n",5} {"k",6} {"1 thread",10} {"2 threads",10}  GFLOP/s");
foreach (var s in shapes)
{
    if (filter != null && !s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
    double one = Measure(s.TransA, s.TransB, s.M, s.N, s.K, null);
    double two = Measure(s.TransA, s.TransB, s.M, s.N, s.K, pool);
    string t = (s.TransA ? "T" : "N") + (s.TransB ? "T" : "N");
    Console.WriteLine($"{s.Name,-28} {t,2} {s.M,6} {s.N,5} {s.K,6} {one,10:F1} {two,10:F1}");
}

static unsafe double Measure(bool transA, bool transB, int m, int n, int k, WorkerPool? pool)
{
    long aSize = (long)m * k, bSize = (long)k * n, cSize = (long)m * n;
    float* a = Allocate(aSize), b = Allocate(bSize), c = Allocate(cSize);
    try
    {
        int lda = transA ? m : k, ldb = transB ? k : n;
        double flops = 2.0 * m * n * k;
        // Warm up (JIT tiers, scratch buffers), then time batches of ~50 ms and keep the best.
        int reps = Math.Max(1, (int)(5e7 / flops * 50));
        for (int i = 0; i < 3; i++) Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, n, false, pool);
        double best = double.MaxValue;
        for (int batch = 0; batch < 7; batch++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++) Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, n, false, pool);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / reps);
        }
        return flops / best / 1e9;
    }
    finally
    {
        NativeMemory.AlignedFree(a);
        NativeMemory.AlignedFree(b);
        NativeMemory.AlignedFree(c);
    }
}

static unsafe float* Allocate(long count)
{
    var p = (float*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(float)), 64);
    var random = new Random(1);
    for (long i = 0; i < count; i++) p[i] = random.NextSingle() - 0.5f;
    return p;
}
