namespace Flow.Backends.Cpu;

/// <summary>
/// Splits an element range into fixed chunks run on the worker pool: memory-bound kernels on large
/// tensors use both cores, small ones stay on the caller. Fixed chunk bounds keep results deterministic.
/// </summary>
internal static class Chunks
{
    public const int Size = 16384;

    /// <summary>A kernel running body(inputs, outputs, start, count) over [0, n) in chunks.</summary>
    public static IKernel Kernel(CpuBackend backend, int n, Action<CpuBuffer[], CpuBuffer[], int, int> body)
    {
        int chunks = (n + Size - 1) / Size;
        if (chunks <= 1) return new CpuKernel((i, o) => body(i, o, 0, n));
        CpuBuffer[] ins = [], outs = [];
        Action<int> chunk = c => body(ins, outs, c * Size, Math.Min(Size, n - c * Size));
        return new CpuKernel((i, o) =>
        {
            (ins, outs) = (i, o);
            backend.Pool.For(chunks, chunk);
        });
    }
}
