using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>
/// float32 MaxPool and MaxPoolGrad for channel counts that fill whole SIMD vectors (the conv nets' 32
/// and 64): channels in vectors, images in parallel. Same rule as the reference in PoolKernels — the
/// first cell of a window initialises, a later one wins only when strictly greater — so the results
/// are identical, and each image's gradient lands in its own slice of dx, in the reference's order.
/// Windows that do not overlap (stride = window, the nets' 2×2 pools) write each cell of dx once, as a vector
/// (dy at the argmax, zero elsewhere) instead of clearing dx and then adding dy one channel at a time.
/// </summary>
internal static unsafe class MaxPoolFast
{
    public static bool Applies(Window w) => w.C % Vector<float>.Count == 0 && w.C <= 256;

    public static IKernel MaxPool(Window w, CpuBackend backend)
    {
        float* x = null, y = null;
        Action<int> image = n => PoolImage(w, x + (long)n * w.ImageSize, y + (long)n * w.OH * w.OW * w.C, null, null);
        return new CpuKernel((i, o) =>
        {
            x = i[0].Ptr<float>();
            y = o[0].Ptr<float>();
            backend.Pool.For(w.N, image);
        });
    }

    // Inputs (x, y, dy): the argmax is found again from x, y only fixes the shapes.
    public static IKernel MaxPoolGrad(Window w, CpuBackend backend)
    {
        float* x = null, dy = null, dx = null;
        int outImage = w.OH * w.OW * w.C;
        // Cells outside every window keep the zero of a cleared dx.
        bool covered = Tiles(w) && w.OH * w.SH - w.PadTop >= w.H && w.OW * w.SW - w.PadLeft >= w.W;
        Action<int> image = n =>
        {
            float* dxImage = dx + (long)n * w.ImageSize;
            if (!covered) new Span<float>(dxImage, w.ImageSize).Clear();
            PoolImage(w, x + (long)n * w.ImageSize, null, dy + (long)n * outImage, dxImage);
        };
        return new CpuKernel((i, o) =>
        {
            x = i[0].Ptr<float>();
            dy = i[2].Ptr<float>();
            dx = o[0].Ptr<float>();
            backend.Pool.For(w.N, image);
        });
    }

    // Every input cell lies in at most one window.
    private static bool Tiles(Window w) => w.SH == w.KH && w.SW == w.KW;

    /// <summary>
    /// One image: writes the window maxima to y, or (with dy) adds dy at the argmaxes of dx — for windows that tile,
    /// writes the window's cells of dx outright, 0 + dy (so −0 comes out as the reference's +0) at the argmax.
    /// </summary>
    private static void PoolImage(Window w, float* x, float* y, float* dy, float* dx)
    {
        int c = w.C, vw = Vector<float>.Count;
        bool tiles = Tiles(w);
        int* bestAt = stackalloc int[c];
        for (int oh = 0, at = 0; oh < w.OH; oh++)
            for (int ow = 0; ow < w.OW; ow++, at += c)
            {
                int top = oh * w.SH - w.PadTop, left = ow * w.SW - w.PadLeft;
                int h0 = Math.Max(top, 0), h1 = Math.Min(top + w.KH, w.H), w0 = Math.Max(left, 0), w1 = Math.Min(left + w.KW, w.W);
                int first = (h0 * w.W + w0) * c;
                for (int ch = 0; ch < c; ch += vw)
                {
                    var best = Vector.Load(x + first + ch);
                    var where = new Vector<int>(first);
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++)
                        {
                            int cell = (ih * w.W + iw) * c;
                            var v = Vector.Load(x + cell + ch);
                            var greater = Vector.GreaterThan(v, best);
                            best = Vector.ConditionalSelect(greater, v, best);
                            where = Vector.ConditionalSelect(greater, new Vector<int>(cell), where);
                        }
                    if (y is not null) best.Store(y + at + ch);
                    else if (!tiles) where.Store(bestAt + ch);
                    else
                    {
                        var gradient = Vector<float>.Zero + Vector.Load(dy + at + ch);
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++)
                            {
                                int cell = (ih * w.W + iw) * c;
                                var mine = Vector.Equals(where, new Vector<int>(cell)).As<int, float>();
                                Vector.ConditionalSelect(mine, gradient, Vector<float>.Zero).Store(dx + cell + ch);
                            }
                    }
                }
                if (dy is not null && !tiles)
                    for (int ch = 0; ch < c; ch++) dx[bestAt[ch] + ch] += dy[at + ch];
            }
    }
}
