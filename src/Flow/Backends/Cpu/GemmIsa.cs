using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Flow.Backends.Cpu;

/// <summary>Which micro-kernel the GEMM runs; each has its own register tile height (MR).</summary>
internal enum GemmIsa
{
    Scalar,
    Avx2,
    Avx512,
}

internal static class GemmIsaInfo
{
    /// <summary>The best kernel this machine runs, chosen once at startup.</summary>
    public static readonly GemmIsa Best =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmIsa.Avx512
        : Fma.IsSupported && Avx2.IsSupported ? GemmIsa.Avx2
        : GemmIsa.Scalar;

    /// <summary>Columns of every register tile: one Vector512, two Vector256, or sixteen scalars.</summary>
    public const int NR = 16;

    /// <summary>Rows of the register tile (MR): as many accumulator rows as the register file holds.</summary>
    public static int Rows(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => MicroKernelAvx512.MR,
        GemmIsa.Avx2 => MicroKernelAvx2.MR,
        _ => MicroKernelScalar.MR,
    };

    public static bool IsSupported(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
        GemmIsa.Avx2 => Fma.IsSupported && Avx2.IsSupported,
        _ => true,
    };
}
