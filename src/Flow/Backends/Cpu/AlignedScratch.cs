using System.Runtime.InteropServices;

namespace Flow.Backends.Cpu;

/// <summary>
/// One growable block of 64-byte aligned native memory: it grows to the largest size asked for and is then
/// reused, so steady-state kernels allocate nothing. Owned by one thread (see <see cref="GemmScratch"/>,
/// <see cref="Im2ColConv"/>); freed when its owner is collected.
/// </summary>
internal sealed unsafe class AlignedScratch
{
    // Kernels write whole 16-float vectors, so a buffer may be written up to one vector past its nominal end.
    private const int SlackFloats = 16;

    private float* _buffer;
    private nuint _capacity;

    /// <summary>The buffer, at least <paramref name="floats"/> long; its contents are not kept when it grows.</summary>
    public float* Get(long floats)
    {
        nuint needed = (nuint)floats + SlackFloats;
        if (needed > _capacity)
        {
            NativeMemory.AlignedFree(_buffer);
            _buffer = (float*)NativeMemory.AlignedAlloc(needed * sizeof(float), 64);
            _capacity = needed;
        }
        return _buffer;
    }

    ~AlignedScratch() => NativeMemory.AlignedFree(_buffer);
}
