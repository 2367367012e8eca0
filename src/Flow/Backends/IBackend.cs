namespace Flow.Backends;

/// <summary>Memory owned by a backend, holding one tensor's elements.</summary>
public interface IDeviceBuffer : IDisposable
{
    long Bytes { get; }
}

/// <summary>One op bound to concrete shapes: created once per compiled plan, run once per step.</summary>
public interface IKernel
{
    /// <param name="inputs">Buffers of the op's inputs, in order.</param>
    /// <param name="outputs">Buffers of the op's outputs (for an aliasing op, the input's buffer).</param>
    void Run(IDeviceBuffer[] inputs, IDeviceBuffer[] outputs);
}

/// <summary>What a backend needs to build a kernel for one op in a plan.</summary>
public sealed record KernelRequest(
    Operation Op,
    Shape[] InputShapes,
    DType[] InputTypes,
    Shape[] OutputShapes,
    DType[] OutputTypes,
    RandomStream? Random)
{
    /// <summary>The op's definition: what a backend's kernel table is keyed by.</summary>
    public OpDef Def => Op.Def;

    /// <summary>The op's typed attributes (window geometry, axes...), decoded when the op was built.</summary>
    public T Attrs<T>() where T : OpAttributes => Op.Attrs<T>();
}

/// <summary>
/// The seam between the graph runtime and a device: memory, copies and kernels. The CPU backend is
/// always present; others plug in here without touching the graph code.
/// </summary>
public interface IBackend : IDisposable
{
    string Name { get; }
    IDeviceBuffer Allocate(long bytes);
    void CopyIn(ReadOnlySpan<byte> source, IDeviceBuffer destination);
    void CopyOut(IDeviceBuffer source, Span<byte> destination);
    /// <summary>Whether the backend has a kernel for the op (it may still refuse a type at <see cref="CreateKernel"/>).</summary>
    bool Supports(OpDef op);
    /// <summary>Null when the backend has no kernel for the op's element types (the plan compiler reports it).</summary>
    IKernel? CreateKernel(KernelRequest request);
    /// <summary>Waits until all queued work is done.</summary>
    void Synchronize();
}
