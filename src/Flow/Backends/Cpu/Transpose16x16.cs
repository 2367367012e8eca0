using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Flow.Backends.Cpu;

/// <summary>In-register transpose of a 16×16 float block held as 16 zmm rows (AVX-512F only).</summary>
internal static unsafe class Transpose16x16
{
    /// <summary>rows[i][j] becomes rows[j][i]. Three shuffle stages of 16 ops each, plus one of 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InPlace(Vector512<float>* rows)
    {
        // Stage 1: interleave row pairs within each 128-bit lane: t[2i] = a0 b0 a1 b1, t[2i+1] = a2 b2 a3 b3.
        for (int i = 0; i < 16; i += 2)
        {
            var low = Avx512F.UnpackLow(rows[i], rows[i + 1]);
            var high = Avx512F.UnpackHigh(rows[i], rows[i + 1]);
            rows[i] = low;
            rows[i + 1] = high;
        }
        // Stage 2: interleave float pairs of row quads: rows[4i+e] lane L = column 4L+e of rows 4i..4i+3.
        for (int i = 0; i < 16; i += 4)
        {
            var t0 = rows[i].AsDouble();
            var t1 = rows[i + 1].AsDouble();
            var t2 = rows[i + 2].AsDouble();
            var t3 = rows[i + 3].AsDouble();
            rows[i] = Avx512F.UnpackLow(t0, t2).AsSingle();
            rows[i + 1] = Avx512F.UnpackHigh(t0, t2).AsSingle();
            rows[i + 2] = Avx512F.UnpackLow(t1, t3).AsSingle();
            rows[i + 3] = Avx512F.UnpackHigh(t1, t3).AsSingle();
        }
        // Stage 3: gather lane L of rows[e], rows[4+e], rows[8+e], rows[12+e] into output row 4L+e.
        var result = stackalloc Vector512<float>[16];
        for (int e = 0; e < 4; e++)
        {
            var evenLanes01 = Avx512F.Shuffle4x128(rows[e], rows[4 + e], 0b10_00_10_00);
            var oddLanes01 = Avx512F.Shuffle4x128(rows[e], rows[4 + e], 0b11_01_11_01);
            var evenLanes23 = Avx512F.Shuffle4x128(rows[8 + e], rows[12 + e], 0b10_00_10_00);
            var oddLanes23 = Avx512F.Shuffle4x128(rows[8 + e], rows[12 + e], 0b11_01_11_01);
            result[0 + e] = Avx512F.Shuffle4x128(evenLanes01, evenLanes23, 0b10_00_10_00);
            result[8 + e] = Avx512F.Shuffle4x128(evenLanes01, evenLanes23, 0b11_01_11_01);
            result[4 + e] = Avx512F.Shuffle4x128(oddLanes01, oddLanes23, 0b10_00_10_00);
            result[12 + e] = Avx512F.Shuffle4x128(oddLanes01, oddLanes23, 0b11_01_11_01);
        }
        for (int i = 0; i < 16; i++) rows[i] = result[i];
    }
}
