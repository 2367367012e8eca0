using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Flow.Backends.Cpu;

/// <summary>
/// Host memory for one tensor: a pinned array (it never moves, so kernels may keep raw pointers)
/// aligned to 64 bytes for AVX-512 loads.
/// </summary>
public sealed unsafe class CpuBuffer : IDeviceBuffer
{
    private const int Alignment = 64;
    private byte[]? _array;
    private readonly byte* _ptr;

    public CpuBuffer(long bytes)
    {
        if (bytes > int.MaxValue - Alignment) throw new ArgumentOutOfRangeException(nameof(bytes), $"{bytes} bytes is too large for one CPU buffer");
        _array = GC.AllocateArray<byte>((int)bytes + Alignment, pinned: true);
        byte* p = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _ptr = (byte*)(((nint)p + Alignment - 1) & ~(nint)(Alignment - 1));
        Bytes = bytes;
    }

    public long Bytes { get; }

    public T* Ptr<T>() where T : unmanaged => (T*)_ptr;

    public Span<T> Span<T>(int count) where T : unmanaged
    {
        if ((long)count * sizeof(T) > Bytes) throw new ArgumentOutOfRangeException(nameof(count), $"{count} elements of {typeof(T).Name} exceed a buffer of {Bytes} bytes");
        return new Span<T>(_ptr, count);
    }

    public Span<byte> AllBytes => new(_ptr, (int)Bytes);

    public void Dispose() => _array = null;
}
