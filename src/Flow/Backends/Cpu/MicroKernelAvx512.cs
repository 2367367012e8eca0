using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Flow.Backends.Cpu;

/// <summary>
/// AVX-512 micro-kernel: a 14×16 tile of C held in 14 zmm accumulators (of 32), updated per k by one
/// 16-float load of packed B and 14 broadcast-FMAs from packed A. 14 independent FMA chains comfortably
/// cover the FMA latency, and 14 rows (not 6×32) keeps small n (10, 25, 32) from wasting half a tile.
/// </summary>
internal static unsafe class MicroKernelAvx512
{
    public const int MR = 14;

    /// <summary>C[0..mr, 0..nr] (=|+=) Apacked[MR×kc] · B[kc×16], row p of B at b + p·ldb (16 when packed); rows ≥ mr and columns ≥ nr are not written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLayout>(int kc, float* a, float* b, int ldb, float* c, int ldc, int mr, int nr, bool accumulate)
        where TLayout : struct, IPackedALayout
    {
        int blockLength = TLayout.KBlock == 0 ? kc : TLayout.KBlock;
        int kStep = TLayout.KBlock == 0 ? MR : 1;
        int rowStride = TLayout.KBlock == 0 ? 1 : TLayout.KBlock;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        for (int p0 = 0; p0 < kc; p0 += blockLength)
        {
            float* ak = a + p0 * MR;
            int length = Math.Min(blockLength, kc - p0);
            for (int q = 0; q < length; q++)
            {
                var bv = Vector512.Load(b);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[0 * rowStride]), bv, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[1 * rowStride]), bv, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[2 * rowStride]), bv, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[3 * rowStride]), bv, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[4 * rowStride]), bv, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[5 * rowStride]), bv, c5);
                c6 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[6 * rowStride]), bv, c6);
                c7 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[7 * rowStride]), bv, c7);
                c8 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[8 * rowStride]), bv, c8);
                c9 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[9 * rowStride]), bv, c9);
                c10 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[10 * rowStride]), bv, c10);
                c11 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[11 * rowStride]), bv, c11);
                c12 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[12 * rowStride]), bv, c12);
                c13 = Vector512.FusedMultiplyAdd(Vector512.Create(ak[13 * rowStride]), bv, c13);
                ak += kStep;
                b += ldb;
            }
        }
        var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(nr)).AsSingle();
        Store(c + 0 * ldc, c0, mask, nr, accumulate);
        if (mr > 1) Store(c + 1 * ldc, c1, mask, nr, accumulate);
        if (mr > 2) Store(c + 2 * ldc, c2, mask, nr, accumulate);
        if (mr > 3) Store(c + 3 * ldc, c3, mask, nr, accumulate);
        if (mr > 4) Store(c + 4 * ldc, c4, mask, nr, accumulate);
        if (mr > 5) Store(c + 5 * ldc, c5, mask, nr, accumulate);
        if (mr > 6) Store(c + 6 * ldc, c6, mask, nr, accumulate);
        if (mr > 7) Store(c + 7 * ldc, c7, mask, nr, accumulate);
        if (mr > 8) Store(c + 8 * ldc, c8, mask, nr, accumulate);
        if (mr > 9) Store(c + 9 * ldc, c9, mask, nr, accumulate);
        if (mr > 10) Store(c + 10 * ldc, c10, mask, nr, accumulate);
        if (mr > 11) Store(c + 11 * ldc, c11, mask, nr, accumulate);
        if (mr > 12) Store(c + 12 * ldc, c12, mask, nr, accumulate);
        if (mr > 13) Store(c + 13 * ldc, c13, mask, nr, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> acc, Vector512<float> mask, int nr, bool accumulate)
    {
        if (nr == GemmIsaInfo.NR)
        {
            if (accumulate) acc += Vector512.Load(c);
            Vector512.Store(acc, c);
        }
        else
        {
            if (accumulate) acc += Avx512F.MaskLoad(c, mask, Vector512<float>.Zero);
            Avx512F.MaskStore(c, mask, acc);
        }
    }
}
