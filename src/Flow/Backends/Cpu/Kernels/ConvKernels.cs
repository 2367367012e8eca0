using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>
/// Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter: the direct loops (any floating type, the
/// definition) and, for float32, im2col + GEMM. All three ops take (input or its like, filter or its like, dy).
/// </summary>
internal static unsafe class ConvKernels
{
    public static void Register(Dictionary<string, KernelFactory> r)
    {
        r["Conv2D"] = (q, backend) => ByType.Floating(q.InputTypes[0],
            () => Fast(q, backend, static (c, i, o) => c.Forward(i[0].Ptr<float>(), i[1].Ptr<float>(), o[0].Ptr<float>())),
            () => Reference<double>(q, static (w, cout, i, o) => Forward(w, cout, i[0].Ptr<double>(), i[1].Ptr<double>(), o[0].Ptr<double>())));
        r["Conv2DBackpropInput"] = (q, backend) => ByType.Floating(q.InputTypes[0],
            () => Fast(q, backend, static (c, i, o) => c.BackpropInput(i[1].Ptr<float>(), i[2].Ptr<float>(), o[0].Ptr<float>())),
            () => Reference<double>(q, static (w, cout, i, o) => BackpropInput(w, cout, i[1].Ptr<double>(), i[2].Ptr<double>(), o[0].Ptr<double>())));
        r["Conv2DBackpropFilter"] = (q, backend) => ByType.Floating(q.InputTypes[0],
            () => Fast(q, backend, static (c, i, o) => c.BackpropFilter(i[0].Ptr<float>(), i[2].Ptr<float>(), o[0].Ptr<float>())),
            () => Reference<double>(q, static (w, cout, i, o) => BackpropFilter(w, cout, i[0].Ptr<double>(), i[2].Ptr<double>(), o[0].Ptr<double>())));
    }

    internal static (Window Window, int Cout) Geometry(KernelRequest q)
    {
        var f = q.InputShapes[1];
        return (Window.Of(q.InputShapes[0], f[0], f[1], Tf.Strides(q.Op), Tf.IsSame(q.Op)), f[3]);
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

/// <summary>
/// Float32 convolution as GEMM over im2col. Each output pixel's receptive field, in filter order (kh, kw, ci),
/// becomes one row of cols [OH·OW, K = KH·KW·Cin] per image; with the filter seen as [K, Cout]:
///   forward       y [rows, Cout]   = cols · f
///   filter grad   df [K, Cout]     = colsᵀ · dy, accumulated over the chunks of images
///   input grad    dcols [rows, K]  = dy · fᵀ, then col2im adds each row back over its receptive field
/// Images go through in chunks whose cols fill a cache-sized buffer, allocated once with the kernel;
/// im2col and col2im run one image per worker and the GEMM parallelises itself.
/// </summary>
internal sealed unsafe class Im2ColConv
{
    private const long ColsBudgetBytes = 2 << 20;

    private readonly Window _w;
    private readonly int _cout, _k, _rows, _chunk;
    private readonly WorkerPool _pool;
    private readonly CpuBuffer _cols;
    // The per-image loops are made once; each run sets the images (x, or dx for col2im) and the chunk start.
    private readonly Action<int> _im2Col, _col2Im;
    private float* _images;
    private int _first;

    public Im2ColConv(Window w, int cout, WorkerPool pool)
    {
        _w = w;
        _cout = cout;
        _pool = pool;
        _rows = w.OH * w.OW;
        _k = w.KH * w.KW * w.C;
        long perImage = Math.Max(1L, (long)_rows * _k * sizeof(float));
        _chunk = (int)Math.Clamp(ColsBudgetBytes / perImage, 1, Math.Max(1, w.N));
        // Whole rounds of images per worker, so none idles at the end of a chunk's im2col.
        if (_chunk >= pool.Threads) _chunk -= _chunk % pool.Threads;
        _cols = new CpuBuffer(perImage * _chunk);
        _im2Col = i => Walk(_first + i, Cols(i), toCols: true);
        _col2Im = i => Walk(_first + i, Cols(i), toCols: false);
    }

    private float* Cols(int imageInChunk) => _cols.Ptr<float>() + (long)imageInChunk * _rows * _k;
    private long DyAt(int n) => (long)n * _rows * _cout;

    // x [N, H, W, Cin], f [K, Cout] -> y [N, OH, OW, Cout]
    public void Forward(float* x, float* f, float* y)
    {
        for (int n0 = 0; n0 < _w.N; n0 += _chunk)
        {
            int count = Math.Min(_chunk, _w.N - n0);
            _images = x;
            _first = n0;
            _pool.For(count, _im2Col);
            Gemm.Multiply(false, false, count * _rows, _cout, _k, Cols(0), _k, f, _cout, y + DyAt(n0), _cout, accumulate: false, _pool);
        }
    }

    // x [N, H, W, Cin], dy [N, OH, OW, Cout] -> df [K, Cout]
    public void BackpropFilter(float* x, float* dy, float* df)
    {
        if (_w.N == 0) new Span<float>(df, _k * _cout).Clear();
        for (int n0 = 0; n0 < _w.N; n0 += _chunk)
        {
            int count = Math.Min(_chunk, _w.N - n0);
            _images = x;
            _first = n0;
            _pool.For(count, _im2Col);
            Gemm.Multiply(true, false, _k, _cout, count * _rows, Cols(0), _k, dy + DyAt(n0), _cout, df, _cout, accumulate: n0 > 0, _pool);
        }
    }

    // f [K, Cout], dy [N, OH, OW, Cout] -> dx [N, H, W, Cin]
    public void BackpropInput(float* f, float* dy, float* dx)
    {
        for (int n0 = 0; n0 < _w.N; n0 += _chunk)
        {
            int count = Math.Min(_chunk, _w.N - n0);
            Gemm.Multiply(false, true, count * _rows, _k, _cout, dy + DyAt(n0), _cout, f, _cout, Cols(0), _k, accumulate: false, _pool);
            _images = dx;
            _first = n0;
            _pool.For(count, _col2Im);
        }
    }

    // Image n against its cols: gathers the receptive fields (zeros for padding) or, for col2im, clears the
    // image and adds them back. For one (output pixel, kh) the taps kw = 0..KW-1 read KW·Cin consecutive
    // floats of x, so each is one block copy, clipped to the columns inside the image.
    private void Walk(int n, float* cols, bool toCols)
    {
        var w = _w;
        float* image = _images + (long)n * w.ImageSize;
        if (!toCols) new Span<float>(image, w.ImageSize).Clear();
        int block = w.KW * w.C;
        for (int oh = 0; oh < w.OH; oh++)
        {
            int ih0 = oh * w.SH - w.PadTop;
            for (int ow = 0; ow < w.OW; ow++, cols += _k)
            {
                int iw0 = ow * w.SW - w.PadLeft;
                int lo = Math.Max(0, -iw0) * w.C, hi = Math.Min(w.KW, w.W - iw0) * w.C;
                for (int kh = 0; kh < w.KH; kh++)
                {
                    float* row = cols + kh * block;
                    int ih = ih0 + kh;
                    bool inside = (uint)ih < (uint)w.H && lo < hi;
                    if (toCols)
                    {
                        if (!inside) { new Span<float>(row, block).Clear(); continue; }
                        new Span<float>(row, lo).Clear();
                        new Span<float>(row + hi, block - hi).Clear();
                    }
                    else if (!inside) continue;
                    float* pixels = image + ((long)ih * w.W + iw0) * w.C;
                    if (toCols) Copy(pixels + lo, row + lo, hi - lo);
                    else AddTo(pixels + lo, row + lo, hi - lo);
                }
            }
        }
    }

    // Blocks are short when Cin is small (5 floats for a 5×5 filter on one channel): a plain loop beats memmove's setup.
    private static void Copy(float* src, float* dst, int count)
    {
        if (count >= 32) Buffer.MemoryCopy(src, dst, count * sizeof(float), count * sizeof(float));
        else for (int i = 0; i < count; i++) dst[i] = src[i];
    }

    private static void AddTo(float* dst, float* src, int count)
    {
        int i = 0;
        for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
            Vector.Store(Vector.Load(dst + i) + Vector.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] += src[i];
    }
}
