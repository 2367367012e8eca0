using System.Runtime.InteropServices;

namespace Flow.Backends.Cpu;

/// <summary>
/// One thread's packing buffers for <see cref="GemmBlocked"/>: 64-byte aligned native memory that grows to the
/// largest size asked for and is then reused, so steady-state GEMM calls allocate nothing. Freed when the
/// owning thread has died and the object is collected.
/// </summary>
internal sealed unsafe class GemmScratch
{
    // Packing writes whole 16-float vectors, so a panel may run up to one vector past its nominal end.
    private const int SlackFloats = 16;

    [ThreadStatic] private static GemmScratch? t_current;

    private float* _a;
    private nuint _aFloats;
    private float* _b;
    private nuint _bFloats;

    public static GemmScratch ForCurrentThread() => t_current ??= new GemmScratch();

    /// <summary>Buffer for a packed block of op(A), at least <paramref name="floats"/> long.</summary>
    public float* A(int floats) => Ensure(ref _a, ref _aFloats, floats);

    /// <summary>Buffer for a packed panel of op(B), at least <paramref name="floats"/> long.</summary>
    public float* B(int floats) => Ensure(ref _b, ref _bFloats, floats);

    private static float* Ensure(ref float* buffer, ref nuint capacity, int floats)
    {
        nuint needed = (nuint)floats + SlackFloats;
        if (needed > capacity)
        {
            NativeMemory.AlignedFree(buffer);
            buffer = (float*)NativeMemory.AlignedAlloc(needed * sizeof(float), 64);
            capacity = needed;
        }
        return buffer;
    }

    ~GemmScratch()
    {
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
    }
}
