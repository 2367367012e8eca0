using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Flow.Backends.Cpu;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded strips the micro-kernels stream through.
/// Padding rows/columns are zero so edge tiles compute on clean data; the kernels never store them.
/// Each micro-kernel's ISA packs with its own vector width (the scalar kernel with scalar copies), so the tests that
/// run every kernel against the reference also run every packing path.
/// </summary>
internal static unsafe class GemmPacking
{
    private const int NR = GemmIsaInfo.NR;

    /// <summary>Floats one packed MR-row strip of op(A) takes for a depth of kc (blocks of 16 k are padded).</summary>
    public static int AStripFloats(int mr, int kc) => mr * RoundUp16(kc);

    public static int RoundUp16(int x) => (x + 15) & ~15;

    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, k0 .. k0+kc] as ceil(mc/MR) strips of MR rows, each <see cref="AStripFloats"/>
    /// apart, in <typeparamref name="TLayout"/> order. A is [m,k] (row stride lda), or [k,m] when transposed;
    /// the layout is picked so that both cases copy contiguous runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<TLayout>(GemmIsa isa, float* a, int lda, int i0, int mc, int k0, int kc, int mr, float* dst)
        where TLayout : struct, IPackedALayout
    {
        int stripFloats = AStripFloats(mr, kc);
        for (int s = 0; s * mr < mc; s++, dst += stripFloats)
        {
            int rows = Math.Min(mr, mc - s * mr);
            int firstRow = i0 + s * mr;
            if (TLayout.KBlock == 0)
            {
                // A stored [k,m]: op(A)[i, p] = a[p*lda + i]; one k gives mr contiguous rows.
                // Each 16-wide write spills into the next k's slot, which is written afterwards.
                for (int p = 0; p < kc; p++)
                    CopyPadded(isa, a + (long)(k0 + p) * lda + firstRow, rows, dst + p * mr);
            }
            else
            {
                // A stored [m,k]: row r's 16 k of block p0 are contiguous in both A and the strip.
                for (int p0 = 0; p0 < kc; p0 += TLayout.KBlock)
                {
                    int length = Math.Min(TLayout.KBlock, kc - p0);
                    float* block = dst + p0 * mr;
                    for (int r = 0; r < mr; r++)
                    {
                        float* source = a + (long)(firstRow + r) * lda + k0 + p0;
                        // Row r of the next strip: its first touch would otherwise stall on DRAM, once per
                        // row per KC block, which costs a third of the time for tall A (m = 9800, k = 800).
                        if (Sse.IsSupported) Sse.Prefetch0(source + (long)mr * lda);
                        CopyPadded(isa, source, r < rows ? length : 0, block + r * TLayout.KBlock);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[k0 .. k0+kc, j0 .. j0+nc] as ceil(nc/16) strips of kc×16 (k-major), kc*16 floats apart.
    /// B is [k,n] (row stride ldb), or [n,k] when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(GemmIsa isa, bool transB, float* b, int ldb, int k0, int kc, int j0, int nc, float* dst)
    {
        for (int s = 0; s * NR < nc; s++, dst += kc * NR)
        {
            int columns = Math.Min(NR, nc - s * NR);
            int firstColumn = j0 + s * NR;
            if (!transB)
            {
                for (int p = 0; p < kc; p++)
                    CopyPadded(isa, b + (long)(k0 + p) * ldb + firstColumn, columns, dst + p * NR);
            }
            else
            {
                // B stored [n,k]: op(B)[p, j] = b[j*ldb + p]; each strip is a 16×kc → kc×16 transpose.
                PackTransposedStrip(isa, b + (long)firstColumn * ldb + k0, ldb, columns, kc, dst);
            }
        }
    }

    /// <summary>dst[p*16 + j] = src[j*ld + p] for j &lt; columns (zero for columns ≤ j &lt; 16), p &lt; kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposedStrip(GemmIsa isa, float* src, int ld, int columns, int kc, float* dst)
    {
        if (isa == GemmIsa.Avx512 && Avx512F.IsSupported)
        {
            var block = stackalloc Vector512<float>[NR];
            for (int p0 = 0; p0 < kc; p0 += NR)
            {
                int length = Math.Min(NR, kc - p0);
                var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(length)).AsSingle();
                for (int j = 0; j < NR; j++)
                    block[j] = j < columns ? Avx512F.MaskLoad(src + (long)j * ld + p0, mask, Vector512<float>.Zero) : default;
                Transpose16x16.InPlace(block);
                for (int q = 0; q < length; q++) Vector512.Store(block[q], dst + (p0 + q) * NR);
            }
            return;
        }
        if (isa == GemmIsa.Avx2 && Avx.IsSupported)
        {
            // Two 8-column halves of the strip, each as 8×8 transposes.
            var block = stackalloc Vector256<float>[8];
            var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            for (int p0 = 0; p0 < kc; p0 += 8)
            {
                int length = Math.Min(8, kc - p0);
                var mask = Vector256.LessThan(lanes, Vector256.Create(length)).AsSingle();
                for (int half = 0; half < NR; half += 8)
                {
                    for (int j = 0; j < 8; j++)
                        block[j] = half + j < columns ? Avx.MaskLoad(src + (long)(half + j) * ld + p0, mask) : default;
                    Transpose8x8.InPlace(block);
                    for (int q = 0; q < length; q++) Vector256.Store(block[q], dst + (p0 + q) * NR + half);
                }
            }
            return;
        }
        for (int p = 0; p < kc; p++)
        {
            float* row = dst + p * NR;
            for (int j = 0; j < columns; j++) row[j] = src[(long)j * ld + p];
            for (int j = columns; j < NR; j++) row[j] = 0f;
        }
    }

    /// <summary>Copies count (≤ 16) floats to dst and zero-fills dst up to 16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPadded(GemmIsa isa, float* src, int count, float* dst)
    {
        if (isa == GemmIsa.Avx512 && Avx512F.IsSupported)
        {
            // Masked-off lanes are neither read (no fault past the end of A) nor kept (they load as zero).
            var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
            Vector512.Store(Avx512F.MaskLoad(src, mask, Vector512<float>.Zero), dst);
            return;
        }
        if (isa == GemmIsa.Avx2 && Avx.IsSupported)
        {
            // The same with two 8-float halves: vmaskmovps neither faults on nor reads masked-off lanes.
            if (count == NR)
            {
                Vector256.Store(Vector256.Load(src), dst);
                Vector256.Store(Vector256.Load(src + 8), dst + 8);
                return;
            }
            var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            var low = Vector256.LessThan(lanes, Vector256.Create(count)).AsSingle();
            var high = Vector256.LessThan(lanes + Vector256.Create(8), Vector256.Create(count)).AsSingle();
            Vector256.Store(Avx.MaskLoad(src, low), dst);
            Vector256.Store(Avx.MaskLoad(src + 8, high), dst + 8);
            return;
        }
        for (int i = 0; i < count; i++) dst[i] = src[i];
        for (int i = count; i < NR; i++) dst[i] = 0f;
    }
}
