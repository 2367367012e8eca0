namespace Flow.Backends.Cpu;

/// <summary>
/// Single-precision matrix multiply: C[m,n] = op(A)[m,k] · op(B)[k,n], or C += … when accumulating.
/// Row-major with leading dimensions: A is stored [m,k] (row stride lda), or [k,m] when transA;
/// B is stored [k,n] (row stride ldb), or [n,k] when transB; C is [m,n] with row stride ldc.
/// Large problems are split over row or column blocks across the worker pool; each element of C is
/// always computed by one thread in the same k-order, so results do not depend on the split or thread count.
/// </summary>
public static unsafe class Gemm
{
    // Below ~1M multiply-adds (≈ 10 µs of one core) waking a second thread costs more than it saves:
    // measured on the softmax tutorial, whose 784k-MAC products ran slower on two threads than on one.
    private const long ParallelMinMultiplyAdds = 1_000_000;

    public static void Multiply(bool transA, bool transB, int m, int n, int k, float* a, int lda,
        float* b, int ldb, float* c, int ldc, bool accumulate, WorkerPool? pool)
        => Multiply(GemmIsaInfo.Best, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, pool);

    /// <summary>As the public overload, with the micro-kernel chosen by the caller (tests cover every kernel).</summary>
    internal static void Multiply(GemmIsa isa, bool transA, bool transB, int m, int n, int k, float* a, int lda,
        float* b, int ldb, float* c, int ldc, bool accumulate, WorkerPool? pool)
    {
        Validate(transA, transB, m, n, k, lda, ldb, ldc);
        if (!GemmIsaInfo.IsSupported(isa)) throw new PlatformNotSupportedException($"{isa} GEMM kernel");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
            return;
        }
        if (pool is null || pool.Threads == 1 || (long)m * n * k < ParallelMinMultiplyAdds)
        {
            GemmBlocked.Run(isa, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }
        GemmParallelJob.ForCurrentThread().Run(pool, isa, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }

    private static void Validate(bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(lda, Math.Max(1, transA ? m : k));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldb, Math.Max(1, transB ? k : n));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldc, Math.Max(1, n));
    }
}
