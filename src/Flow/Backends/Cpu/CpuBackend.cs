namespace Flow.Backends.Cpu;

/// <summary>The CPU backend: pinned host buffers, C# kernels (generic references, SIMD fast paths) and a worker pool.</summary>
public sealed class CpuBackend : IBackend
{
    private static readonly Dictionary<OpDef, KernelFactory> Kernels = BuildRegistry();

    /// <param name="threads">Worker threads for the kernels (default: one per core).</param>
    public CpuBackend(int? threads = null)
    {
        Pool = new WorkerPool(threads ?? Environment.ProcessorCount);
    }

    public string Name => "cpu";
    public WorkerPool Pool { get; }

    public IDeviceBuffer Allocate(long bytes) => new CpuBuffer(bytes);

    public void CopyIn(ReadOnlySpan<byte> source, IDeviceBuffer destination) =>
        source.CopyTo(((CpuBuffer)destination).AllBytes);

    public void CopyOut(IDeviceBuffer source, Span<byte> destination) =>
        ((CpuBuffer)source).AllBytes[..destination.Length].CopyTo(destination);

    public bool Supports(OpDef op) => Kernels.ContainsKey(op);

    public IKernel? CreateKernel(KernelRequest request) =>
        Kernels.TryGetValue(request.Def, out var factory) ? factory(request, this) : null;

    public void Synchronize() { }

    public void Dispose() => Pool.Dispose();

    private static Dictionary<OpDef, KernelFactory> BuildRegistry()
    {
        var r = new Dictionary<OpDef, KernelFactory>();
        ElementwiseKernels.Register(r);
        ReductionKernels.Register(r);
        MatMulKernels.Register(r);
        NnKernels.Register(r);
        ArrayKernels.Register(r);
        RandomKernels.Register(r);
        TrainingKernels.Register(r);
        ConvKernels.Register(r);
        PoolKernels.Register(r);
        AvgPoolKernels.Register(r);
        ConcatKernels.Register(r);
        BatchNormKernels.Register(r);
        TransposeKernels.Register(r);
        OneHotKernels.Register(r);
        return r;
    }
}
