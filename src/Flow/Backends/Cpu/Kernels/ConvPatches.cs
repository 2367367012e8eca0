using System.Runtime.CompilerServices;

namespace Flow.Backends.Cpu;

/// <summary>
/// The rows im2col would store for a convolution's output pixels, gathered from the NHWC images straight into a
/// GEMM's packed strips instead: row i is output pixel <c>firstRow</c> + i of the batch (pixels counted image after
/// image), its entry
/// k = (kh, kw, ci) the input pixel under that filter tap, zero outside the image. Packed exactly as
/// <see cref="GemmPacking"/> packs a cols matrix, so products have the same bits, while cols — a megabyte per
/// image group for 32-channel layers, more than this host's L2 — is never written and read back.
/// </summary>
internal readonly unsafe struct ConvPatches(Window w, float* images, long firstRow)
{
    private const int Piece = GemmIsaInfo.NR;   // packed strips hold their entries in pieces of 16

    public int SegmentLength => w.KW * w.C;

    /// <summary>The image and output position of row i.</summary>
    public void Locate(int i, out int n, out int oh, out int ow)
    {
        long row = firstRow + i;
        int pixels = w.OH * w.OW, pixel = (int)(row % pixels);
        (n, oh, ow) = ((int)(row / pixels), pixel / w.OW, pixel % w.OW);
    }

    /// <summary>Moves (n, oh, ow) on to the next row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Step(ref int n, ref int oh, ref int ow)
    {
        if (++ow < w.OW) return;
        ow = 0;
        if (++oh < w.OH) return;
        oh = 0;
        n++;
    }

    /// <summary>
    /// Entries k0 .. k0+kc of the row of output pixel (n, oh, ow), entry k0 + j written at
    /// <paramref name="at"/> + (j / 16)·<paramref name="pieceStride"/> + j % 16. For a tap row kh the entries
    /// (kw, ci) are SegmentLength consecutive floats of the image, of which the columns inside it are copied.
    /// <paramref name="firstKh"/> is k0 / SegmentLength, worked out once by the caller for all its rows.
    /// </summary>
    public void Row(int n, int oh, int ow, int k0, int kc, int firstKh, float* at, int pieceStride)
    {
        int segmentLength = SegmentLength;
        int ih0 = oh * w.SH - w.PadTop, iw0 = ow * w.SW - w.PadLeft;
        int lo = Math.Max(0, -iw0) * w.C, hi = Math.Min(w.KW, w.W - iw0) * w.C;
        float* image = images + (long)n * w.ImageSize;
        int kh = firstKh;
        for (int segment = kh * segmentLength; segment < k0 + kc; kh++, segment += segmentLength)
        {
            int from = Math.Max(k0, segment), to = Math.Min(k0 + kc, segment + segmentLength);
            int ih = ih0 + kh;
            if ((uint)ih >= (uint)w.H || lo >= hi)
            {
                Put(at, pieceStride, from - k0, null, to - from);
                continue;
            }
            int inFrom = Math.Clamp(segment + lo, from, to), inTo = Math.Clamp(segment + hi, from, to);
            // entry[k] is entry k of this tap row, for the k inside the image.
            float* entry = image + ((long)ih * w.W + iw0) * w.C - segment;
            Put(at, pieceStride, from - k0, null, inFrom - from);
            Put(at, pieceStride, inFrom - k0, entry + inFrom, inTo - inFrom);
            Put(at, pieceStride, inTo - k0, null, to - inTo);
        }
    }

    /// <summary>Writes count floats of src (zeros when null) at positions j, j+1, … of a packed row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Put(float* at, int pieceStride, int j, float* src, int count)
    {
        while (count > 0)
        {
            int offset = j & (Piece - 1), take = Math.Min(Piece - offset, count);
            float* d = at + (j / Piece) * pieceStride + offset;
            if (src is null) new Span<float>(d, take).Clear();
            else if (take == Piece) Unsafe.CopyBlockUnaligned(d, src, Piece * sizeof(float));
            else for (int t = 0; t < take; t++) d[t] = src[t];
            if (src is not null) src += take;
            j += take;
            count -= take;
        }
    }
}

/// <summary>The patches as op(A) [pixels, K] of the forward product y = cols · f (<see cref="RowBlockedA"/> strips).</summary>
internal readonly unsafe struct ConvPatchesA(ConvPatches patches) : IAPacker<RowBlockedA>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(GemmIsa isa, int i0, int mc, int k0, int kc, int mr, float* dst)
    {
        const int Piece = GemmIsaInfo.NR;
        int stripFloats = GemmPacking.AStripFloats(mr, kc), padded = GemmPacking.RoundUp16(kc);
        int firstKh = k0 / patches.SegmentLength;
        patches.Locate(i0, out int n, out int oh, out int ow);
        for (int s = 0; s * mr < mc; s++, dst += stripFloats)
        {
            int rows = Math.Min(mr, mc - s * mr);
            for (int r = 0; r < mr; r++)
            {
                // Row r's pieces of 16 depths are mr·16 floats apart; rows past the edge are zero.
                float* at = dst + r * Piece;
                if (r >= rows)
                {
                    ConvPatches.Put(at, mr * Piece, 0, null, padded);
                    continue;
                }
                patches.Row(n, oh, ow, k0, kc, firstKh, at, mr * Piece);
                ConvPatches.Put(at, mr * Piece, kc, null, padded - kc);
                patches.Step(ref n, ref oh, ref ow);
            }
        }
    }
}

/// <summary>The patches as op(B) [pixels, K] of the filter gradient's product dfᵀ = dyᵀ · cols (k-major 16-wide strips).</summary>
internal readonly unsafe struct ConvPatchesB(ConvPatches patches) : IBPacker
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(GemmIsa isa, int k0, int kc, int j0, int nc, float* dst)
    {
        const int Piece = GemmIsaInfo.NR;
        int padded = GemmPacking.RoundUp16(nc);
        int firstKh = j0 / patches.SegmentLength;
        patches.Locate(k0, out int n, out int oh, out int ow);
        for (int p = 0; p < kc; p++)
        {
            // Depth p's 16 columns of each strip; the strips are kc·16 floats apart.
            float* at = dst + p * Piece;
            patches.Row(n, oh, ow, j0, nc, firstKh, at, kc * Piece);
            ConvPatches.Put(at, kc * Piece, nc, null, padded - nc);
            patches.Step(ref n, ref oh, ref ow);
        }
    }

    public float* InPlace(int k0, int j0, out int ldb)
    {
        ldb = 0;
        return null;
    }
}
