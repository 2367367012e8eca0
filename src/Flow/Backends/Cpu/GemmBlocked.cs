using System.Runtime.CompilerServices;

namespace Flow.Backends.Cpu;

/// <summary>
/// Single-threaded Goto/BLIS-style GEMM: C[m,n] (=|+=) op(A)·op(B). Loops, outermost first:
/// NC columns of B (panel of KC×NC, kept in L3), KC of depth (packed once, reused across all of M),
/// MC rows of A (block of MC×KC in L2), then 16-wide strips of B (KC×16 in L1) × MR-row strips of A.
/// Every element of C sees the same k-order however the problem is split, so results are deterministic.
/// The loops and the packing are compiled fully optimised at once (AggressiveOptimization): under tiered PGO
/// their code varied from process to process, and about one run in five trained the best model at 75% speed.
/// </summary>
internal static unsafe class GemmBlocked
{
    internal const int KC = 256;   // depth of one packed panel: a KC×16 B strip is 16 KiB, half of L1
    private const int NC = 4096;  // columns per B panel: KC×NC = 4 MiB, well inside L3
    private const int MCTarget = 336; // rows per A block: MC×KC ≈ 336 KiB of the 1 MiB L2

    private const int NR = GemmIsaInfo.NR;

    public static void Run(GemmIsa isa, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        // A few rows against a row-major B: stream B instead of packing it (same bits, see GemmRowStream).
        if (!transB && m <= GemmRowStream.MaxRows) GemmRowStream.Run(isa, transA, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        else RunPacked(isa, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }

    /// <summary>The packed path for any shape (tests compare <see cref="GemmRowStream"/> and B read in place with it
    /// bit for bit, <paramref name="bInPlace"/> false packing every strip of B).</summary>
    internal static void RunPacked(GemmIsa isa, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, bool bInPlace = true)
    {
        var matrixB = new MatrixB(transB, b, ldb);
        if (transA) Run<KMajorA, MatrixA<KMajorA>, MatrixB>(isa, m, n, k, new(a, lda), matrixB, c, ldc, accumulate, bInPlace);
        else Run<RowBlockedA, MatrixA<RowBlockedA>, MatrixB>(isa, m, n, k, new(a, lda), matrixB, c, ldc, accumulate, bInPlace);
    }

    /// <summary>
    /// The packed path, with the operands packed by <paramref name="a"/> and <paramref name="b"/>: matrices, or a
    /// convolution's image patches gathered straight into packed strips and never stored as a matrix. The same
    /// loops and kernels, so the same bits as packing a matrix that holds what a packer gathers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Run<TLayout, TA, TB>(GemmIsa isa, int m, int n, int k, TA a, TB b, float* c, int ldc, bool accumulate,
        bool bInPlace = true)
        where TLayout : struct, IPackedALayout
        where TA : struct, IAPacker<TLayout>
        where TB : struct, IBPacker
    {
        int mr = GemmIsaInfo.Rows(isa);
        int mc = (MCTarget + mr - 1) / mr * mr;
        var scratch = GemmScratch.ForCurrentThread();
        float* packedB = scratch.B(KC * Math.Min(GemmPacking.RoundUp16(n), NC));
        float* packedA = scratch.A(mc / mr * GemmPacking.AStripFloats(mr, KC));
        // With one block of A's rows each B strip is read once, so packing it only adds a copy (fc1 at batch 50 wrote
        // and re-read 12.8 MB per product): B is read where it lies when it can be, but for a last strip narrower than
        // 16 (the kernels read whole rows of 16). The same FMAs in the same order, so the same bits.
        bool inPlace = bInPlace && m <= mc && b.InPlace(0, 0, out _) is not null;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                var panel = new BPanel(null, 0, 0);   // every strip packed
                if (inPlace)
                {
                    panel = new BPanel(b.InPlace(pc, jc, out int ldb), ldb, nc / NR * NR);
                    if (panel.PackedFrom < nc) b.Pack(isa, pc, kc, jc + panel.PackedFrom, nc - panel.PackedFrom, packedB);
                }
                else b.Pack(isa, pc, kc, jc, nc, packedB);
                bool addToC = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += mc)
                {
                    int rows = Math.Min(mc, m - ic);
                    a.Pack(isa, ic, rows, pc, kc, mr, packedA);
                    MacroKernel<TLayout>(isa, kc, rows, nc, packedA, panel, packedB, c + (long)ic * ldc + jc, ldc, addToC);
                }
            }
        }
    }

    /// <summary>A KC-deep panel of B: its strips before column PackedFrom read in place (row stride Ldb), the rest packed.</summary>
    private readonly struct BPanel(float* inPlace, int ldb, int packedFrom)
    {
        public readonly float* InPlace = inPlace;
        public readonly int Ldb = ldb, PackedFrom = packedFrom;
    }

    /// <summary>C[rows, nc] (=|+=) packed A block [rows×kc] · B panel [kc×nc] (strips in place or packed), one register tile at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel<TLayout>(GemmIsa isa, int kc, int rows, int nc, float* packedA, BPanel panel, float* packedB,
        float* c, int ldc, bool accumulate)
        where TLayout : struct, IPackedALayout
    {
        int mr = GemmIsaInfo.Rows(isa);
        int aStrip = GemmPacking.AStripFloats(mr, kc);
        for (int jr = 0; jr < nc; jr += NR)
        {
            bool inPlace = jr < panel.PackedFrom;
            float* bStrip = inPlace ? panel.InPlace + jr : packedB + (jr - panel.PackedFrom) * kc;
            int ldb = inPlace ? panel.Ldb : NR;
            int nr = Math.Min(NR, nc - jr);
            float* aStripStart = packedA;
            for (int ir = 0; ir < rows; ir += mr, aStripStart += aStrip)
            {
                float* tile = c + (long)ir * ldc + jr;
                int tileRows = Math.Min(mr, rows - ir);
                switch (isa)
                {
                    case GemmIsa.Avx512:
                        MicroKernelAvx512.Run<TLayout>(kc, aStripStart, bStrip, ldb, tile, ldc, tileRows, nr, accumulate);
                        break;
                    case GemmIsa.Avx2:
                        MicroKernelAvx2.Run<TLayout>(kc, aStripStart, bStrip, ldb, tile, ldc, tileRows, nr, accumulate);
                        break;
                    default:
                        MicroKernelScalar.Run<TLayout>(kc, aStripStart, bStrip, ldb, tile, ldc, tileRows, nr, accumulate);
                        break;
                }
            }
        }
    }
}
