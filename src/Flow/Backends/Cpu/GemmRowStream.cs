using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Flow.Backends.Cpu;

/// <summary>
/// GEMM for a few rows of A against a row-major B (batch-1 inference: fc1 of the deep model is 1×3136 · 3136×1024).
/// There the packed path's cost is copying B into panels, a second pass over 12 MB that it never reuses; this path reads
/// each row of B once, straight from memory, and updates all of A's rows from it.
/// Every element sees exactly the packed path's operations: per KC-deep panel, a fused multiply-add chain in k order
/// starting from zero, then stored or added to C. Results are bit-identical to <see cref="GemmBlocked"/>'s packed path,
/// so the choice between the two never changes a result.
/// </summary>
internal static unsafe class GemmRowStream
{
    /// <summary>Most rows of A handled here; beyond a few, packing pays for itself by reuse.</summary>
    public const int MaxRows = 4;

    private const int ColumnBlock = 512;   // MaxRows×512 accumulators: 8 KiB, held in L1 across a panel

    /// <summary>C[m,n] (=|+=) op(A)[m,k] · B[k,n], m ≤ <see cref="MaxRows"/>, B stored [k,n] with row stride ldb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(GemmIsa isa, bool transA, int m, int n, int k, float* a, int lda, float* b, int ldb,
        float* c, int ldc, bool accumulate)
    {
        if (m > MaxRows) throw new ArgumentOutOfRangeException(nameof(m), m, $"at most {MaxRows} rows");
        float* acc = stackalloc float[MaxRows * ColumnBlock];
        Span<float> rowOfA = stackalloc float[MaxRows];
        for (int j0 = 0; j0 < n; j0 += ColumnBlock)
        {
            int width = Math.Min(ColumnBlock, n - j0);
            for (int p0 = 0; p0 < k; p0 += GemmBlocked.KC)
            {
                int depth = Math.Min(GemmBlocked.KC, k - p0);
                new Span<float>(acc, m * ColumnBlock).Clear();   // only the rows in use
                for (int p = p0; p < p0 + depth; p++)
                {
                    float* bRow = b + (long)p * ldb + j0;
                    for (int i = 0; i < m; i++) rowOfA[i] = transA ? a[(long)p * lda + i] : a[(long)i * lda + p];
                    for (int i = 0; i < m; i++) MultiplyAdd(isa, rowOfA[i], bRow, acc + i * ColumnBlock, width);
                }
                bool addToC = accumulate || p0 > 0;
                for (int i = 0; i < m; i++)
                {
                    float* cRow = c + (long)i * ldc + j0, accRow = acc + i * ColumnBlock;
                    for (int j = 0; j < width; j++) cRow[j] = addToC ? cRow[j] + accRow[j] : accRow[j];
                }
            }
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
