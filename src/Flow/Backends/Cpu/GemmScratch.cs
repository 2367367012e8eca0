namespace Flow.Backends.Cpu;

/// <summary>
/// One thread's packing buffers for <see cref="GemmBlocked"/>, reused from call to call so that steady-state
/// GEMM calls allocate nothing.
/// </summary>
internal sealed unsafe class GemmScratch
{
    [ThreadStatic] private static GemmScratch? t_current;

    private readonly AlignedScratch _a = new(), _b = new();

    public static GemmScratch ForCurrentThread() => t_current ??= new GemmScratch();

    /// <summary>Buffer for a packed block of op(A), at least <paramref name="floats"/> long.</summary>
    public float* A(int floats) => _a.Get(floats);

    /// <summary>Buffer for a packed panel of op(B), at least <paramref name="floats"/> long.</summary>
    public float* B(int floats) => _b.Get(floats);
}
