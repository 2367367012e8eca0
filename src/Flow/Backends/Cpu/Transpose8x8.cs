using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Flow.Backends.Cpu;

/// <summary>In-register transpose of an 8×8 float block held as 8 ymm rows (AVX), the AVX2 hosts' counterpart of <see cref="Transpose16x16"/>.</summary>
internal static unsafe class Transpose8x8
{
    /// <summary>rows[i][j] becomes rows[j][i]: unpack pairs, shuffle quads within 128-bit lanes, then swap lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InPlace(Vector256<float>* rows)
    {
        // t[2i] = r0 r1 interleaved from columns 0,1 | 4,5; t[2i+1] from columns 2,3 | 6,7.
        var t0 = Avx.UnpackLow(rows[0], rows[1]);
        var t1 = Avx.UnpackHigh(rows[0], rows[1]);
        var t2 = Avx.UnpackLow(rows[2], rows[3]);
        var t3 = Avx.UnpackHigh(rows[2], rows[3]);
        var t4 = Avx.UnpackLow(rows[4], rows[5]);
        var t5 = Avx.UnpackHigh(rows[4], rows[5]);
        var t6 = Avx.UnpackLow(rows[6], rows[7]);
        var t7 = Avx.UnpackHigh(rows[6], rows[7]);
        // s_c holds column c (low lane) and column c + 4 (high lane) of rows 0..3 (s0..s3) or 4..7 (s4..s7).
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        rows[0] = Avx.Permute2x128(s0, s4, 0x20);
        rows[1] = Avx.Permute2x128(s1, s5, 0x20);
        rows[2] = Avx.Permute2x128(s2, s6, 0x20);
        rows[3] = Avx.Permute2x128(s3, s7, 0x20);
        rows[4] = Avx.Permute2x128(s0, s4, 0x31);
        rows[5] = Avx.Permute2x128(s1, s5, 0x31);
        rows[6] = Avx.Permute2x128(s2, s6, 0x31);
        rows[7] = Avx.Permute2x128(s3, s7, 0x31);
    }
}
