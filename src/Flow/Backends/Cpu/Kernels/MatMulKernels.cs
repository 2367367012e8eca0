using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>MatMul: the generic reference (any floating type) and, for float32, the packed SIMD GEMM.</summary>
internal static unsafe class MatMulKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r) =>
        r[Tf.MatMulDef] = (q, backend) => ByType.Floating(q.InputTypes[0], () => Fast(q, backend), () => Reference<double>(q));

    private readonly record struct Dims(bool TransA, bool TransB, int M, int N, int K);

    private static Dims Of(KernelRequest q)
    {
        var (ta, tb) = q.Attrs<MatMulAttributes>();
        return new(ta, tb, q.OutputShapes[0][0], q.OutputShapes[0][1], ta ? q.InputShapes[0][0] : q.InputShapes[0][1]);
    }

    internal static IKernel Reference<T>(KernelRequest q) where T : unmanaged, INumber<T>
    {
        var d = Of(q);
        return new CpuKernel((i, o) => MultiplyReference(d.TransA, d.TransB, d.M, d.N, d.K, i[0].Ptr<T>(), i[1].Ptr<T>(), o[0].Ptr<T>()));
    }

    private static IKernel Fast(KernelRequest q, CpuBackend backend)
    {
        var d = Of(q);
        int lda = d.TransA ? d.M : d.K, ldb = d.TransB ? d.K : d.N;
        return new CpuKernel((i, o) => Gemm.Multiply(d.TransA, d.TransB, d.M, d.N, d.K,
            i[0].Ptr<float>(), lda, i[1].Ptr<float>(), ldb, o[0].Ptr<float>(), d.N, accumulate: false, backend.Pool));
    }

    /// <summary>C[m,n] = op(A)·op(B), the textbook triple loop: the definition the fast kernels are tested against.</summary>
    internal static void MultiplyReference<T>(bool ta, bool tb, int m, int n, int k, T* a, T* b, T* c) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T s = T.Zero;
                for (int p = 0; p < k; p++)
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = s;
            }
    }
}
