using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>MaxPool and its routing ops MaxPoolGrad (scatter dy to argmaxes) and MaxPoolGradGrad (gather at them).</summary>
internal static unsafe class PoolKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.MaxPoolDef] = (q, b) => ByType.Floating(q.InputTypes[0],
            () => MaxPoolFast.Applies(Geometry(q)) ? MaxPoolFast.MaxPool(Geometry(q), b) : Kernel<float>(q, MaxPool), () => Kernel<double>(q, MaxPool));
        r[Tf.MaxPoolGradDef] = (q, b) => ByType.Floating(q.InputTypes[0],
            () => MaxPoolFast.Applies(Geometry(q)) ? MaxPoolFast.MaxPoolGrad(Geometry(q), b) : Kernel<float>(q, MaxPoolGrad), () => Kernel<double>(q, MaxPoolGrad));
        r[Tf.MaxPoolGradGradDef] = (q, _) => ByType.Floating(q.InputTypes[0], () => Kernel<float>(q, MaxPoolGradGrad), () => Kernel<double>(q, MaxPoolGradGrad));
    }

    // x, the routed gradient (null for MaxPool) and the result.
    private delegate void PoolFn<T>(Window w, T* x, T* g, T* result) where T : unmanaged;

    internal static Window Geometry(KernelRequest q) => q.Attrs<PoolAttributes>().WindowFor(q.InputShapes[0]);

    // Inputs (x) or (x, y, g). The routing ops find the argmax again from x with MaxPool's own rule, so it
    // always lands on the cell that produced y, even for NaNs; y only fixes the shapes.
    private static IKernel Kernel<T>(KernelRequest q, PoolFn<T> fn) where T : unmanaged
    {
        var w = Geometry(q);
        bool routes = q.InputShapes.Length == 3;
        return new CpuKernel((i, o) => fn(w, i[0].Ptr<T>(), routes ? i[2].Ptr<T>() : null, o[0].Ptr<T>()));
    }

    /// <summary>y [N, OH, OW, C] = max over each window of x [N, H, W, C]; padding cells are skipped.</summary>
    internal static void MaxPool<T>(Window w, T* x, T* noGradient, T* y) where T : unmanaged, INumber<T>
    {
        int c = w.C;
        for (int n = 0; n < w.N; n++)
            for (int oh = 0; oh < w.OH; oh++)
                for (int ow = 0; ow < w.OW; ow++, y += c)
                {
                    var (h0, h1, w0, w1) = Cells(w, oh, ow);
                    // The first cell initialises, so no −∞ is needed and the result is always an input value.
                    new Span<T>(x + Offset(w, n, h0, w0), c).CopyTo(new Span<T>(y, c));
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++)
                        {
                            T* cell = x + Offset(w, n, ih, iw);
                            for (int ch = 0; ch < c; ch++) if (cell[ch] > y[ch]) y[ch] = cell[ch];
                        }
                }
    }

    /// <summary>dx [N, H, W, C] = dy [N, OH, OW, C] added at each window's argmax.</summary>
    internal static void MaxPoolGrad<T>(Window w, T* x, T* dy, T* dx) where T : unmanaged, INumber<T>
    {
        new Span<T>(dx, w.N * w.ImageSize).Clear();
        var scatter = new Scatter<T>(dy, dx, w.C);
        ForEachArgMax(w, x, ref scatter);
    }

    /// <summary>ddy [N, OH, OW, C] = g [N, H, W, C] read at each window's argmax.</summary>
    internal static void MaxPoolGradGrad<T>(Window w, T* x, T* g, T* ddy) where T : unmanaged, INumber<T>
    {
        var gather = new Gather<T>(g, ddy, w.C);
        ForEachArgMax(w, x, ref gather);
    }

    private interface IArgMaxVisitor
    {
        /// <summary>One window: the offset of its output row [C] and, per channel, the offset of its argmax in x.</summary>
        void Visit(int outAt, int* best);
    }

    private readonly struct Scatter<T>(T* dy, T* dx, int c) : IArgMaxVisitor where T : unmanaged, INumber<T>
    {
        public void Visit(int outAt, int* best) { for (int ch = 0; ch < c; ch++) dx[best[ch]] += dy[outAt + ch]; }
    }

    private readonly struct Gather<T>(T* g, T* ddy, int c) : IArgMaxVisitor where T : unmanaged, INumber<T>
    {
        public void Visit(int outAt, int* best) { for (int ch = 0; ch < c; ch++) ddy[outAt + ch] = g[best[ch]]; }
    }

    // For each window: the offset in x of its max for every channel, the first cell in row-major order and
    // replaced only by a strictly greater one (MaxPool's rule, so it is the cell that produced y), with the
    // offset of the window's output row [C]. Channels are innermost, so x is read in order.
    private static void ForEachArgMax<T, TVisitor>(Window w, T* x, ref TVisitor visitor)
        where T : unmanaged, INumber<T> where TVisitor : struct, IArgMaxVisitor
    {
        int c = w.C;
        int* best = stackalloc int[c];
        for (int n = 0, at = 0; n < w.N; n++)
            for (int oh = 0; oh < w.OH; oh++)
                for (int ow = 0; ow < w.OW; ow++, at += c)
                {
                    var (h0, h1, w0, w1) = Cells(w, oh, ow);
                    int first = (int)Offset(w, n, h0, w0);
                    for (int ch = 0; ch < c; ch++) best[ch] = first + ch;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++)
                        {
                            int cell = (int)Offset(w, n, ih, iw);
                            for (int ch = 0; ch < c; ch++)
                                if (x[cell + ch] > x[best[ch]]) best[ch] = cell + ch;
                        }
                    visitor.Visit(at, best);
                }
    }

    // The window's rows [h0, h1) and columns [w0, w1), clipped to the image.
    internal static (int H0, int H1, int W0, int W1) Cells(Window w, int oh, int ow)
    {
        int top = oh * w.SH - w.PadTop, left = ow * w.SW - w.PadLeft;
        return (Math.Max(top, 0), Math.Min(top + w.KH, w.H), Math.Max(left, 0), Math.Min(left + w.KW, w.W));
    }

    internal static long Offset(Window w, int n, int ih, int iw) => (((long)n * w.H + ih) * w.W + iw) * w.C;
}
