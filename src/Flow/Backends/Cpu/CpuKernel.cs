namespace Flow.Backends.Cpu;

/// <summary>A CPU kernel given as a delegate over typed buffers; the closure holds what the plan precomputed.</summary>
internal sealed class CpuKernel(Action<CpuBuffer[], CpuBuffer[]> run) : IKernel
{
    private CpuBuffer[] _in = [], _out = [];

    public void Run(IDeviceBuffer[] inputs, IDeviceBuffer[] outputs)
    {
        // Cast once per call into arrays sized on the first call and reused: kernels see CpuBuffer without per-call
        // allocation, whatever their arity (batch normalization's forward has five outputs; a fixed size of four
        // made it allocate on every call).
        var ins = _in.Length == inputs.Length ? _in : _in = new CpuBuffer[inputs.Length];
        var outs = _out.Length == outputs.Length ? _out : _out = new CpuBuffer[outputs.Length];
        for (int i = 0; i < inputs.Length; i++) ins[i] = (CpuBuffer)inputs[i];
        for (int i = 0; i < outputs.Length; i++) outs[i] = (CpuBuffer)outputs[i];
        run(ins, outs);
    }
}

/// <summary>Builds a kernel for a request, or returns null when it cannot (unsupported type).</summary>
internal delegate IKernel? KernelFactory(KernelRequest request, CpuBackend backend);

/// <summary>Picks the element type of a generic kernel at plan time.</summary>
internal static class ByType
{
    public static IKernel? Floating(DType t, Func<IKernel> f32, Func<IKernel> f64) => t switch
    {
        DType.Float32 => f32(),
        DType.Float64 => f64(),
        _ => null,
    };

    public static IKernel? Numeric(DType t, Func<IKernel> f32, Func<IKernel> f64, Func<IKernel> i32) => t switch
    {
        DType.Float32 => f32(),
        DType.Float64 => f64(),
        DType.Int32 => i32(),
        _ => null,
    };
}
