using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>OneHot: indices viewed as [outer, inner] give [outer, depth, inner], on where the position is the index.</summary>
internal static unsafe class OneHotKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r) => r[Tf.OneHotDef] = (q, _) =>
        ByType.Numeric(q.OutputTypes[0], () => Kernel<float>(q), () => Kernel<double>(q), () => Kernel<int>(q));

    private static IKernel Kernel<T>(KernelRequest q) where T : unmanaged, INumber<T>
    {
        var a = q.Attrs<OneHotAttributes>();
        var dims = q.InputShapes[0].ToArray();
        int axis = a.For(dims.Length + 1), outer = 1, inner = 1, depth = a.Depth;
        for (int d = 0; d < axis; d++) outer *= dims[d];
        for (int d = axis; d < dims.Length; d++) inner *= dims[d];
        T on = T.CreateChecked(a.OnValue), off = T.CreateChecked(a.OffValue);
        return new CpuKernel((i, o) =>
        {
            int* idx = i[0].Ptr<int>();
            T* y = o[0].Ptr<T>();
            new Span<T>(y, outer * depth * inner).Fill(off);
            for (int n = 0; n < outer; n++)
                for (int k = 0; k < inner; k++)
                {
                    int c = idx[n * inner + k];
                    if ((uint)c < (uint)depth) y[((long)n * depth + c) * inner + k] = on;
                }
        });
    }
}
