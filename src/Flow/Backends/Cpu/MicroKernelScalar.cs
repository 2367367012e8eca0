using System.Runtime.CompilerServices;

namespace Flow.Backends.Cpu;

/// <summary>Portable micro-kernel for machines without AVX2/FMA: a 4×16 tile accumulated in a stack buffer.</summary>
internal static unsafe class MicroKernelScalar
{
    public const int MR = 4;

    /// <summary>C[0..mr, 0..nr] (=|+=) Apacked[MR×kc] · B[kc×16], row p of B at b + p·ldb (16 when packed); rows ≥ mr and columns ≥ nr are not written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLayout>(int kc, float* a, float* b, int ldb, float* c, int ldc, int mr, int nr, bool accumulate)
        where TLayout : struct, IPackedALayout
    {
        const int NR = GemmIsaInfo.NR;
        int blockLength = TLayout.KBlock == 0 ? kc : TLayout.KBlock;
        int kStep = TLayout.KBlock == 0 ? MR : 1;
        int rowStride = TLayout.KBlock == 0 ? 1 : TLayout.KBlock;
        float* tile = stackalloc float[MR * NR];
        new Span<float>(tile, MR * NR).Clear();
        for (int p0 = 0; p0 < kc; p0 += blockLength)
        {
            float* ak = a + p0 * MR;
            int length = Math.Min(blockLength, kc - p0);
            for (int q = 0; q < length; q++)
            {
                for (int r = 0; r < MR; r++)
                {
                    float ar = ak[r * rowStride];
                    for (int j = 0; j < NR; j++) tile[r * NR + j] = MathF.FusedMultiplyAdd(ar, b[j], tile[r * NR + j]);
                }
                ak += kStep;
                b += ldb;
            }
        }
        for (int r = 0; r < mr; r++)
            for (int j = 0; j < nr; j++)
                c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r * NR + j] : tile[r * NR + j];
    }
}
