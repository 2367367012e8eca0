using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Flow.Backends.Cpu;

/// <summary>
/// The forward product and the filter gradient of a stride-1 convolution with one input channel (every model's first
/// layer: 28×28×1 → 32), computed straight from the image. Through im2col such a layer ran at 13–20% of the FMA peak:
/// a patch row is only KH·KW floats, so gathering and packing each one cost more than its 32 output channels' FMAs.
/// Here each image is copied once into a zero-bordered buffer and its pixels are broadcast into the FMAs.
/// The multiply-adds and their order are the GEMM's over the patches, so the bits are those of the im2col path
/// (ConvTests compare them): a forward output is one FMA chain from zero over the taps in (kh, kw) order (one panel,
/// since the taps fit one KC-deep panel); a filter gradient entry sums each KC-deep panel of output pixels as a chain
/// from zero in pixel order and adds it to the running sum, panel after panel from the image group's first pixel.
/// Needs AVX-512: channels go in pairs of 16-float vectors.
/// </summary>
internal static unsafe class SingleChannelConv
{
    private const int Lanes = 16;
    private const int ChannelBlock = 2 * Lanes;  // output channels per tile: two zmm per pixel or tap
    private const int TilePixels = 14;           // forward: 14 pixels × 2 vectors = 28 accumulators of 32 registers
    private const int MaxTileTaps = 5;           // filter gradient: 5 taps × 2 vectors, enough chains to hide FMA latency

    public static bool Applies(Window w, int cout) =>
        Vector512.IsHardwareAccelerated && w.C == 1 && w.SH == 1 && w.SW == 1 && cout % ChannelBlock == 0
        && w.KH * w.KW <= GemmBlocked.KC && w.OH > 0 && w.OW > 0;

    // The bordered image: output pixel (oh, ow)'s tap (kh, kw) is at (oh + kh)·PaddedWidth + ow + kw.
    private static int PaddedWidth(Window w) => w.OW + w.KW - 1;
    private static int PaddedImage(Window w) => (w.OH + w.KH - 1) * PaddedWidth(w);

    /// <summary>Floats of the buffer <see cref="Forward"/> and <see cref="FilterGradient"/> need for that many images.</summary>
    public static long ScratchFloats(Window w, int images) => (long)images * PaddedImage(w) + TilePixels;

    /// <summary>
    /// y's rows [first, first + count) — output pixels counted image after image, each a row of cout — from the images
    /// x [N, H, W, 1] and the filter f [KH·KW, cout]; <paramref name="scratch"/> holds <see cref="ScratchFloats"/>(w, 1).
    /// </summary>
    public static void Forward(Window w, int cout, float* x, float* f, float* y, long first, int count, float* scratch)
    {
        int pixels = w.OH * w.OW, pw = PaddedWidth(w);
        // A tile's last pixels may run past the image's last row: the tail they read stays zero, their sums unstored.
        new Span<float>(scratch + PaddedImage(w), TilePixels).Clear();
        for (long row = first, end = first + count; row < end;)
        {
            int n = (int)(row / pixels);
            long imageStart = (long)n * pixels;
            int from = (int)(row - imageStart), to = (int)Math.Min(end - imageStart, pixels);
            Border(w, x + (long)n * w.ImageSize, scratch);
            for (int oh = from / w.OW; oh * w.OW < to; oh++)
            {
                int ow0 = Math.Max(from - oh * w.OW, 0), ow1 = Math.Min(to - oh * w.OW, w.OW);
                for (int ow = ow0; ow < ow1; ow += TilePixels)
                    for (int cb = 0; cb < cout; cb += ChannelBlock)
                        ForwardTile(w.KH, w.KW, pw, cout, scratch + oh * pw + ow, f + cb,
                            y + (imageStart + (long)oh * w.OW + ow) * cout + cb, Math.Min(TilePixels, ow1 - ow));
            }
            row = imageStart + to;
        }
    }

    /// <summary>
    /// df [KH·KW, cout] (= or, when <paramref name="accumulate"/>, +=) the filter gradient of images [n0, n0 + count)
    /// against dy [N, OH, OW, cout]; <paramref name="scratch"/> holds <see cref="ScratchFloats"/>(w, count).
    /// </summary>
    public static void FilterGradient(Window w, int cout, float* x, float* dy, int n0, int count, float* df, bool accumulate, float* scratch)
    {
        int image = PaddedImage(w), pw = PaddedWidth(w), taps = w.KH * w.KW;
        for (int i = 0; i < count; i++) Border(w, x + (long)(n0 + i) * w.ImageSize, scratch + (long)i * image);
        int* offsets = stackalloc int[taps];
        for (int t = 0; t < taps; t++) offsets[t] = t / w.KW * pw + t % w.KW;
        // Tiles of as even a size as MaxTileTaps allows (25 taps: five of 5; 9: 5 and 4).
        int tiles = (taps + MaxTileTaps - 1) / MaxTileTaps;
        long positions = (long)count * w.OH * w.OW;
        float* groupDy = dy + (long)n0 * w.OH * w.OW * cout;
        for (long p0 = 0; p0 < positions; p0 += GemmBlocked.KC)
        {
            var panel = new Panel(w, pw, image, scratch, groupDy, cout, p0, (int)Math.Min(GemmBlocked.KC, positions - p0));
            bool add = accumulate || p0 > 0;
            for (int tile = 0, t0 = 0; tile < tiles; tile++)
            {
                int t1 = (int)((long)(tile + 1) * taps / tiles);
                for (int cb = 0; cb < cout; cb += ChannelBlock)
                {
                    float* target = df + (long)t0 * cout + cb;
                    switch (t1 - t0)
                    {
                        case 1: FilterTile<Taps1>(panel, offsets + t0, cb, target, add); break;
                        case 2: FilterTile<Taps2>(panel, offsets + t0, cb, target, add); break;
                        case 3: FilterTile<Taps3>(panel, offsets + t0, cb, target, add); break;
                        case 4: FilterTile<Taps4>(panel, offsets + t0, cb, target, add); break;
                        default: FilterTile<Taps5>(panel, offsets + t0, cb, target, add); break;
                    }
                }
                t0 = t1;
            }
        }
    }

    /// <summary>Copies an image [H, W] into the middle of its bordered buffer and zeroes the border.</summary>
    private static void Border(Window w, float* image, float* dst)
    {
        int pw = PaddedWidth(w), ph = w.OH + w.KH - 1;
        int inside = Math.Clamp(pw - w.PadLeft, 0, w.W);
        for (int r = 0; r < ph; r++, dst += pw)
        {
            int ih = r - w.PadTop;
            new Span<float>(dst, pw).Clear();
            if ((uint)ih < (uint)w.H) Unsafe.CopyBlockUnaligned(dst + w.PadLeft, image + (long)ih * w.W, (uint)(inside * sizeof(float)));
        }
    }

    /// <summary>y[r, 0..32) = Σ over taps of x[tap + r] · f[tap, 0..32) for the first <paramref name="pixels"/> r &lt; 14.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile(int kh, int kw, int pw, int cout, float* x, float* f, float* y, int pixels)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default,
            a7 = default, a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default,
            b7 = default, b8 = default, b9 = default, b10 = default, b11 = default, b12 = default, b13 = default;
        for (int i = 0; i < kh; i++, x += pw)
            for (int j = 0; j < kw; j++, f += cout)
            {
                var fa = Vector512.Load(f);
                var fb = Vector512.Load(f + Lanes);
                float* p = x + j;
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(p[0]), fa, a0); b0 = Vector512.FusedMultiplyAdd(Vector512.Create(p[0]), fb, b0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Create(p[1]), fa, a1); b1 = Vector512.FusedMultiplyAdd(Vector512.Create(p[1]), fb, b1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Create(p[2]), fa, a2); b2 = Vector512.FusedMultiplyAdd(Vector512.Create(p[2]), fb, b2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Create(p[3]), fa, a3); b3 = Vector512.FusedMultiplyAdd(Vector512.Create(p[3]), fb, b3);
                a4 = Vector512.FusedMultiplyAdd(Vector512.Create(p[4]), fa, a4); b4 = Vector512.FusedMultiplyAdd(Vector512.Create(p[4]), fb, b4);
                a5 = Vector512.FusedMultiplyAdd(Vector512.Create(p[5]), fa, a5); b5 = Vector512.FusedMultiplyAdd(Vector512.Create(p[5]), fb, b5);
                a6 = Vector512.FusedMultiplyAdd(Vector512.Create(p[6]), fa, a6); b6 = Vector512.FusedMultiplyAdd(Vector512.Create(p[6]), fb, b6);
                a7 = Vector512.FusedMultiplyAdd(Vector512.Create(p[7]), fa, a7); b7 = Vector512.FusedMultiplyAdd(Vector512.Create(p[7]), fb, b7);
                a8 = Vector512.FusedMultiplyAdd(Vector512.Create(p[8]), fa, a8); b8 = Vector512.FusedMultiplyAdd(Vector512.Create(p[8]), fb, b8);
                a9 = Vector512.FusedMultiplyAdd(Vector512.Create(p[9]), fa, a9); b9 = Vector512.FusedMultiplyAdd(Vector512.Create(p[9]), fb, b9);
                a10 = Vector512.FusedMultiplyAdd(Vector512.Create(p[10]), fa, a10); b10 = Vector512.FusedMultiplyAdd(Vector512.Create(p[10]), fb, b10);
                a11 = Vector512.FusedMultiplyAdd(Vector512.Create(p[11]), fa, a11); b11 = Vector512.FusedMultiplyAdd(Vector512.Create(p[11]), fb, b11);
                a12 = Vector512.FusedMultiplyAdd(Vector512.Create(p[12]), fa, a12); b12 = Vector512.FusedMultiplyAdd(Vector512.Create(p[12]), fb, b12);
                a13 = Vector512.FusedMultiplyAdd(Vector512.Create(p[13]), fa, a13); b13 = Vector512.FusedMultiplyAdd(Vector512.Create(p[13]), fb, b13);
            }
        Store(y, a0, b0);
        if (pixels > 1) Store(y + 1 * cout, a1, b1);
        if (pixels > 2) Store(y + 2 * cout, a2, b2);
        if (pixels > 3) Store(y + 3 * cout, a3, b3);
        if (pixels > 4) Store(y + 4 * cout, a4, b4);
        if (pixels > 5) Store(y + 5 * cout, a5, b5);
        if (pixels > 6) Store(y + 6 * cout, a6, b6);
        if (pixels > 7) Store(y + 7 * cout, a7, b7);
        if (pixels > 8) Store(y + 8 * cout, a8, b8);
        if (pixels > 9) Store(y + 9 * cout, a9, b9);
        if (pixels > 10) Store(y + 10 * cout, a10, b10);
        if (pixels > 11) Store(y + 11 * cout, a11, b11);
        if (pixels > 12) Store(y + 12 * cout, a12, b12);
        if (pixels > 13) Store(y + 13 * cout, a13, b13);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* y, Vector512<float> a, Vector512<float> b)
    {
        Vector512.Store(a, y);
        Vector512.Store(b, y + Lanes);
    }

    /// <summary>One KC-deep panel of a group's output pixels: where its pixels and their dy rows start.</summary>
    private readonly struct Panel
    {
        public readonly float* Dy;
        public readonly int Length, Cout, OH, OW, PaddedWidth, PaddedImage, N, Row, Column;
        public readonly float* Images;

        public Panel(Window w, int pw, int image, float* images, float* groupDy, int cout, long p0, int length)
        {
            int pixels = w.OH * w.OW, pixel = (int)(p0 % pixels);
            (N, Row, Column) = ((int)(p0 / pixels), pixel / w.OW, pixel % w.OW);
            (Length, Cout, OH, OW, PaddedWidth, PaddedImage) = (length, cout, w.OH, w.OW, pw, image);
            Images = images;
            Dy = groupDy + p0 * cout;
        }
    }

    private interface ITaps
    {
        static abstract int Count { get; }
    }

    private struct Taps1 : ITaps { public static int Count => 1; }
    private struct Taps2 : ITaps { public static int Count => 2; }
    private struct Taps3 : ITaps { public static int Count => 3; }
    private struct Taps4 : ITaps { public static int Count => 4; }
    private struct Taps5 : ITaps { public static int Count => 5; }

    /// <summary>
    /// For TTaps::Count taps at <paramref name="offsets"/> and channels [cb, cb + 32): the panel's sum over its pixels
    /// of x[pixel + offset] · dy[pixel, channel], one chain from zero in pixel order, stored to df or added to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterTile<TTaps>(in Panel panel, int* offsets, int cb, float* df, bool add) where TTaps : struct, ITaps
    {
        int count = TTaps.Count;
        // Native-sized, so the loop indexes with them as they are (int offsets were sign-extended at every use).
        nint o0 = offsets[0], o1 = count > 1 ? offsets[1] : 0, o2 = count > 2 ? offsets[2] : 0,
            o3 = count > 3 ? offsets[3] : 0, o4 = count > 4 ? offsets[4] : 0;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default;
        float* dy = panel.Dy + cb;
        int n = panel.N, oh = panel.Row, ow = panel.Column, cout = panel.Cout;
        for (int left = panel.Length; left > 0;)
        {
            // A run of pixels along one output row: consecutive in the bordered image and in dy.
            int run = Math.Min(left, panel.OW - ow);
            float* x = panel.Images + (long)n * panel.PaddedImage + oh * panel.PaddedWidth + ow;
            for (float* end = x + run; x < end; x++, dy += cout)
            {
                var da = Vector512.Load(dy);
                var db = Vector512.Load(dy + Lanes);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o0]), da, a0); b0 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o0]), db, b0);
                if (count > 1) { a1 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o1]), da, a1); b1 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o1]), db, b1); }
                if (count > 2) { a2 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o2]), da, a2); b2 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o2]), db, b2); }
                if (count > 3) { a3 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o3]), da, a3); b3 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o3]), db, b3); }
                if (count > 4) { a4 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o4]), da, a4); b4 = Vector512.FusedMultiplyAdd(Vector512.Create(x[o4]), db, b4); }
            }
            left -= run;
            ow = 0;
            if (++oh == panel.OH) (oh, n) = (0, n + 1);
        }
        Sum(df, a0, b0, add);
        if (count > 1) Sum(df + 1 * cout, a1, b1, add);
        if (count > 2) Sum(df + 2 * cout, a2, b2, add);
        if (count > 3) Sum(df + 3 * cout, a3, b3, add);
        if (count > 4) Sum(df + 4 * cout, a4, b4, add);
    }

    // The GEMM's store of a panel: its sum, plus what C held when the panel is not the first.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sum(float* df, Vector512<float> a, Vector512<float> b, bool add)
    {
        if (add)
        {
            a += Vector512.Load(df);
            b += Vector512.Load(df + Lanes);
        }
        Store(df, a, b);
    }
}
