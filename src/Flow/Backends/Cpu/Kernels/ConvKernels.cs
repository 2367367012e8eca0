using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>
/// Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter: the direct loops (any floating type, the
/// definition) and, for float32, im2col + GEMM. All three ops take (input or its like, filter or its like, dy).
/// </summary>
internal static unsafe class ConvKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.Conv2DDef] = (q, backend) => ByType.Floating(q.InputTypes[0],
            () => Fast(q, backend, static (c, i, o) => c.Forward(i[0].Ptr<float>(), i[1].Ptr<float>(), o[0].Ptr<float>())),
            () => Reference<double>(q, static (w, cout, i, o) => Forward(w, cout, i[0].Ptr<double>(), i[1].Ptr<double>(), o[0].Ptr<double>())));
        r[Tf.Conv2DBackpropInputDef] = (q, backend) => ByType.Floating(q.InputTypes[0],
            () => Fast(q, backend, static (c, i, o) => c.BackpropInput(i[1].Ptr<float>(), i[2].Ptr<float>(), o[0].Ptr<float>())),
            () => Reference<double>(q, static (w, cout, i, o) => BackpropInput(w, cout, i[1].Ptr<double>(), i[2].Ptr<double>(), o[0].Ptr<double>())));
        r[Tf.Conv2DBackpropFilterDef] = (q, backend) => ByType.Floating(q.InputTypes[0],
            () => Fast(q, backend, static (c, i, o) => c.BackpropFilter(i[0].Ptr<float>(), i[2].Ptr<float>(), o[0].Ptr<float>())),
            () => Reference<double>(q, static (w, cout, i, o) => BackpropFilter(w, cout, i[0].Ptr<double>(), i[2].Ptr<double>(), o[0].Ptr<double>())));
    }

    internal static (Window Window, int Cout) Geometry(KernelRequest q)
    {
        var f = q.InputShapes[1];
        return (q.Attrs<ConvAttributes>().WindowFor(q.InputShapes[0], f), f[3]);
    }

    private static IKernel Reference<T>(KernelRequest q, Action<Window, int, CpuBuffer[], CpuBuffer[]> run)
    {
        var (w, cout) = Geometry(q);
        return new CpuKernel((i, o) => run(w, cout, i, o));
    }

    private static IKernel Fast(KernelRequest q, CpuBackend backend, Action<Im2ColConv, CpuBuffer[], CpuBuffer[]> run)
    {
        var (w, cout) = Geometry(q);
        var conv = new Im2ColConv(w, cout, backend.Pool);
        return new CpuKernel((i, o) => run(conv, i, o));
    }

    // ---- Reference: direct loops over every (image, output pixel, filter tap) whose input pixel is inside.

    /// <summary>y[n,oh,ow,co] = Σ x[n, oh·sh − padTop + kh, ow·sw − padLeft + kw, ci] · f[kh,kw,ci,co].</summary>
    internal static void Forward<T>(Window w, int cout, T* x, T* f, T* y) where T : unmanaged, INumber<T>
    {
        new Span<T>(y, w.N * w.OH * w.OW * cout).Clear();
        var tap = new ForwardTap<T>(x, f, y, w.C, cout);
        ForEachTap(w, cout, ref tap);
    }

    /// <summary>dx[n,ih,iw,ci] = Σ dy[n,oh,ow,co] · f[kh,kw,ci,co] over the taps that read x[n,ih,iw,ci].</summary>
    internal static void BackpropInput<T>(Window w, int cout, T* f, T* dy, T* dx) where T : unmanaged, INumber<T>
    {
        new Span<T>(dx, w.N * w.ImageSize).Clear();
        var tap = new InputTap<T>(dx, f, dy, w.C, cout);
        ForEachTap(w, cout, ref tap);
    }

    /// <summary>df[kh,kw,ci,co] = Σ x[n,ih,iw,ci] · dy[n,oh,ow,co] over the images and output pixels.</summary>
    internal static void BackpropFilter<T>(Window w, int cout, T* x, T* dy, T* df) where T : unmanaged, INumber<T>
    {
        new Span<T>(df, w.KH * w.KW * w.C * cout).Clear();
        var tap = new FilterTap<T>(x, df, dy, w.C, cout);
        ForEachTap(w, cout, ref tap);
    }

    private interface ITap
    {
        /// <summary>One filter tap: offsets of x[n,ih,iw,0], f[kh,kw,0,0] and y[n,oh,ow,0].</summary>
        void Visit(int xAt, int fAt, int yAt);
    }

    private static void ForEachTap<TTap>(Window w, int cout, ref TTap tap) where TTap : struct, ITap
    {
        for (int n = 0; n < w.N; n++)
            for (int oh = 0; oh < w.OH; oh++)
                for (int ow = 0; ow < w.OW; ow++)
                    for (int kh = 0; kh < w.KH; kh++)
                        for (int kw = 0; kw < w.KW; kw++)
                        {
                            int ih = oh * w.SH - w.PadTop + kh, iw = ow * w.SW - w.PadLeft + kw;
                            if ((uint)ih >= (uint)w.H || (uint)iw >= (uint)w.W) continue;
                            tap.Visit(((n * w.H + ih) * w.W + iw) * w.C, (kh * w.KW + kw) * w.C * cout, ((n * w.OH + oh) * w.OW + ow) * cout);
                        }
    }

    private readonly struct ForwardTap<T>(T* x, T* f, T* y, int cin, int cout) : ITap where T : unmanaged, INumber<T>
    {
        public void Visit(int xAt, int fAt, int yAt)
        {
            for (int ci = 0; ci < cin; ci++)
                for (int co = 0; co < cout; co++) y[yAt + co] += x[xAt + ci] * f[fAt + ci * cout + co];
        }
    }

    private readonly struct InputTap<T>(T* dx, T* f, T* dy, int cin, int cout) : ITap where T : unmanaged, INumber<T>
    {
        public void Visit(int xAt, int fAt, int yAt)
        {
            for (int ci = 0; ci < cin; ci++)
                for (int co = 0; co < cout; co++) dx[xAt + ci] += dy[yAt + co] * f[fAt + ci * cout + co];
        }
    }

    private readonly struct FilterTap<T>(T* x, T* df, T* dy, int cin, int cout) : ITap where T : unmanaged, INumber<T>
    {
        public void Visit(int xAt, int fAt, int yAt)
        {
            for (int ci = 0; ci < cin; ci++)
                for (int co = 0; co < cout; co++) df[fAt + ci * cout + co] += x[xAt + ci] * dy[yAt + co];
        }
    }
}
