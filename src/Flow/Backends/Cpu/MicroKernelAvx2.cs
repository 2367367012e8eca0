using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Flow.Backends.Cpu;

/// <summary>
/// AVX2/FMA micro-kernel for machines without usable AVX-512: a 6×16 tile of C in 12 ymm accumulators
/// (of 16), updated per k by two 8-float loads of packed B and 6 broadcasts from packed A.
/// </summary>
internal static unsafe class MicroKernelAvx2
{
    public const int MR = 6;

    /// <summary>C[0..mr, 0..nr] (=|+=) Apacked[MR×kc] · B[kc×16], row p of B at b + p·ldb (16 when packed); rows ≥ mr and columns ≥ nr are not written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLayout>(int kc, float* a, float* b, int ldb, float* c, int ldc, int mr, int nr, bool accumulate)
        where TLayout : struct, IPackedALayout
    {
        int blockLength = TLayout.KBlock == 0 ? kc : TLayout.KBlock;
        int kStep = TLayout.KBlock == 0 ? MR : 1;
        int rowStride = TLayout.KBlock == 0 ? 1 : TLayout.KBlock;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p0 = 0; p0 < kc; p0 += blockLength)
        {
            float* ak = a + p0 * MR;
            int length = Math.Min(blockLength, kc - p0);
            for (int q = 0; q < length; q++)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var a0 = Vector256.Create(ak[0 * rowStride]);
                c00 = Fma.MultiplyAdd(a0, b0, c00);
                c01 = Fma.MultiplyAdd(a0, b1, c01);
                var a1 = Vector256.Create(ak[1 * rowStride]);
                c10 = Fma.MultiplyAdd(a1, b0, c10);
                c11 = Fma.MultiplyAdd(a1, b1, c11);
                var a2 = Vector256.Create(ak[2 * rowStride]);
                c20 = Fma.MultiplyAdd(a2, b0, c20);
                c21 = Fma.MultiplyAdd(a2, b1, c21);
                var a3 = Vector256.Create(ak[3 * rowStride]);
                c30 = Fma.MultiplyAdd(a3, b0, c30);
                c31 = Fma.MultiplyAdd(a3, b1, c31);
                var a4 = Vector256.Create(ak[4 * rowStride]);
                c40 = Fma.MultiplyAdd(a4, b0, c40);
                c41 = Fma.MultiplyAdd(a4, b1, c41);
                var a5 = Vector256.Create(ak[5 * rowStride]);
                c50 = Fma.MultiplyAdd(a5, b0, c50);
                c51 = Fma.MultiplyAdd(a5, b1, c51);
                ak += kStep;
                b += ldb;
            }
        }
        // Edge tiles write their first nr columns through masks. Nothing after the loop may be a call: the
        // accumulators would then be live across it, and the JIT spills them to the stack at every FMA.
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var lowMask = Vector256.LessThan(lanes, Vector256.Create(nr)).AsSingle();
        var highMask = Vector256.LessThan(lanes + Vector256.Create(8), Vector256.Create(nr)).AsSingle();
        bool full = nr == GemmIsaInfo.NR;
        Store(c + 0 * ldc, c00, c01, full, lowMask, highMask, accumulate);
        if (mr > 1) Store(c + 1 * ldc, c10, c11, full, lowMask, highMask, accumulate);
        if (mr > 2) Store(c + 2 * ldc, c20, c21, full, lowMask, highMask, accumulate);
        if (mr > 3) Store(c + 3 * ldc, c30, c31, full, lowMask, highMask, accumulate);
        if (mr > 4) Store(c + 4 * ldc, c40, c41, full, lowMask, highMask, accumulate);
        if (mr > 5) Store(c + 5 * ldc, c50, c51, full, lowMask, highMask, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> low, Vector256<float> high, bool full,
        Vector256<float> lowMask, Vector256<float> highMask, bool accumulate)
    {
        if (full)
        {
            if (accumulate)
            {
                low += Vector256.Load(c);
                high += Vector256.Load(c + 8);
            }
            Vector256.Store(low, c);
            Vector256.Store(high, c + 8);
            return;
        }
        if (accumulate)
        {
            low += Avx.MaskLoad(c, lowMask);
            high += Avx.MaskLoad(c + 8, highMask);
        }
        Avx.MaskStore(c, lowMask, low);
        Avx.MaskStore(c + 8, highMask, high);
    }
}
