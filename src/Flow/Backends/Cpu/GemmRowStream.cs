using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Flow.Backends.Cpu;

/// <summary>
/// GEMM for a few rows of A against a row-major B (batch-1 inference: fc1 of the deep model is 1×3136 · 3136×1024).
/// There the packed path's cost is copying B into panels, a second pass over 12 MB that it never reuses; this path reads
/// each row of B once, straight from memory, and updates all of A's rows from it.
/// Every element sees exactly the packed path's operations: per KC-deep panel, a fused multiply-add chain in k order
/// starting from zero, then stored or added to C, panel after panel. Results are bit-identical to
/// <see cref="GemmBlocked"/>'s packed path, so the choice between the two never changes a result.
/// Two threads split the depth (<see cref="PanelSums"/> then <see cref="AddPanels"/>): each streams one contiguous half
/// of B, where splitting the columns had each read a quarter of every 4 KiB row (deep's batch-1 latency fell from
/// ~0.55 to ~0.35 ms with this and the row-split convolution, measured together: README, "Measured").
/// </summary>
internal static unsafe class GemmRowStream
{
    /// <summary>Most rows of A handled here; beyond a few, packing pays for itself by reuse.</summary>
    public const int MaxRows = 4;

    // 16 KiB of accumulators held in L1 across a panel: whole rows of B up to 4096 / m columns.
    private const int AccumulatorFloats = 4096;

    /// <summary>Panels of depth <see cref="GemmBlocked.KC"/> in a product of depth <paramref name="k"/>.</summary>
    public static int Panels(int k) => (k + GemmBlocked.KC - 1) / GemmBlocked.KC;

    /// <summary>C[m,n] (=|+=) op(A)[m,k] · B[k,n], m ≤ <see cref="MaxRows"/>, B stored [k,n] with row stride ldb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(GemmIsa isa, bool transA, int m, int n, int k, float* a, int lda, float* b, int ldb,
        float* c, int ldc, bool accumulate)
    {
        CheckRows(m);
        float* acc = stackalloc float[AccumulatorFloats];
        int block = AccumulatorFloats / m;
        for (int j0 = 0; j0 < n; j0 += block)
        {
            int width = Math.Min(block, n - j0);
            for (int p0 = 0; p0 < k; p0 += GemmBlocked.KC)
            {
                SumPanel(isa, transA, m, a, lda, b + j0, ldb, p0, Math.Min(GemmBlocked.KC, k - p0), width, acc, width);
                Store(m, width, acc, width, c + j0, ldc, addToC: accumulate || p0 > 0);
            }
        }
    }

    /// <summary>
    /// The sums of panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>) of op(A)·B, each an [m, n] block
    /// of <paramref name="partials"/> (row stride n), in order; <see cref="AddPanels"/> then adds them to C as
    /// <see cref="Run"/> would.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PanelSums(GemmIsa isa, bool transA, int m, int n, int k, float* a, int lda, float* b, int ldb,
        int firstPanel, int endPanel, float* partials)
    {
        CheckRows(m);
        int block = AccumulatorFloats / m;
        for (int q = firstPanel; q < endPanel; q++)
        {
            int p0 = q * GemmBlocked.KC, depth = Math.Min(GemmBlocked.KC, k - p0);
            float* panel = partials + (long)(q - firstPanel) * m * n;
            for (int j0 = 0; j0 < n; j0 += block)
                SumPanel(isa, transA, m, a, lda, b + j0, ldb, p0, depth, Math.Min(block, n - j0), panel + j0, n);
        }
    }

    /// <summary>C (=|+=) the first panel's sums, then += each next one: the additions <see cref="Run"/> makes.</summary>
    public static void AddPanels(int m, int n, int panels, float* partials, float* c, int ldc, bool accumulate)
    {
        for (int q = 0; q < panels; q++) Store(m, n, partials + (long)q * m * n, n, c, ldc, addToC: accumulate || q > 0);
    }

    private static void CheckRows(int m)
    {
        if (m > MaxRows) throw new ArgumentOutOfRangeException(nameof(m), m, $"at most {MaxRows} rows");
    }

    /// <summary>acc[i, 0..width) = Σ over p in [p0, p0+depth) of op(A)[i,p]·B[p, 0..width), one FMA chain from zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumPanel(GemmIsa isa, bool transA, int m, float* a, int lda, float* b, int ldb, int p0, int depth,
        int width, float* acc, int accStride)
    {
        for (int i = 0; i < m; i++) new Span<float>(acc + (long)i * accStride, width).Clear();
        for (int p = p0; p < p0 + depth; p++)
        {
            float* bRow = b + (long)p * ldb;
            for (int i = 0; i < m; i++)
                MultiplyAdd(isa, transA ? a[(long)p * lda + i] : a[(long)i * lda + p], bRow, acc + (long)i * accStride, width);
        }
    }

    /// <summary>C[i, 0..width) = acc, or += acc: one rounding per element, as the packed micro-kernels' stores.</summary>
    private static void Store(int m, int width, float* acc, int accStride, float* c, int ldc, bool addToC)
    {
        for (int i = 0; i < m; i++)
        {
            float* cRow = c + (long)i * ldc, accRow = acc + (long)i * accStride;
            if (!addToC)
            {
                new ReadOnlySpan<float>(accRow, width).CopyTo(new Span<float>(cRow, width));
                continue;
            }
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j <= width - 8; j += 8) Vector256.Store(Vector256.Load(cRow + j) + Vector256.Load(accRow + j), cRow + j);
            for (; j < width; j++) cRow[j] += accRow[j];
        }
    }

    /// <summary>acc[0..width] = fma(alpha, b[j], acc[j]): one rounding per element, as the micro-kernels' FMA lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd(GemmIsa isa, float alpha, float* b, float* acc, int width)
    {
        int j = 0;
        if (isa == GemmIsa.Avx512)
        {
            var av = Vector512.Create(alpha);
            for (; j <= width - 16; j += 16)
                Vector512.Store(Vector512.FusedMultiplyAdd(av, Vector512.Load(b + j), Vector512.Load(acc + j)), acc + j);
        }
        else if (isa == GemmIsa.Avx2)
        {
            var av = Vector256.Create(alpha);
            for (; j <= width - 8; j += 8)
                Vector256.Store(Vector256.FusedMultiplyAdd(av, Vector256.Load(b + j), Vector256.Load(acc + j)), acc + j);
        }
        for (; j < width; j++) acc[j] = MathF.FusedMultiplyAdd(alpha, b[j], acc[j]);
    }
}
