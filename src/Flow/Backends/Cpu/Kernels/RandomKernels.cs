namespace Flow.Backends.Cpu;

/// <summary>Random tensors drawn from the op's session stream (sequentially, so results are deterministic).</summary>
internal static unsafe class RandomKernels
{
    public static void Register(Dictionary<string, KernelFactory> r)
    {
        r["RandomStandardNormal"] = (q, _) => Draw(q, s => s.NextNormal());
        r["RandomUniform"] = (q, _) => Draw(q, s => s.NextDouble());
        r["TruncatedNormal"] = (q, _) => Draw(q, s => s.NextTruncatedNormal());
    }

    private static IKernel? Draw(KernelRequest q, Func<RandomStream, double> next)
    {
        var stream = q.Random ?? throw new InvalidOperationException($"{q.Op.Name}: no random stream");
        int n = q.OutputShapes[0].Size;
        return q.OutputTypes[0] switch
        {
            DType.Float32 => new CpuKernel((i, o) => { float* y = o[0].Ptr<float>(); for (int k = 0; k < n; k++) y[k] = (float)next(stream); }),
            DType.Float64 => new CpuKernel((i, o) => { double* y = o[0].Ptr<double>(); for (int k = 0; k < n; k++) y[k] = next(stream); }),
            _ => null,
        };
    }
}
