using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>
/// AvgPool and AvgPoolGrad over NHWC windows, each dividing by the count of its window's cells inside the
/// image. The references go channel by channel; the float32 fast paths run the same additions in the same
/// order a vector of channels at a time, one image per worker, so they give the reference's bits.
/// </summary>
internal static unsafe class AvgPoolKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.AvgPoolDef] = (q, b) => ByType.Floating(q.InputTypes[0],
            () => PerImage<float>(q, b, input: 0, AvgPoolImage<float>), () => Whole<double>(q, input: 0, AvgPool<double>));
        r[Tf.AvgPoolGradDef] = (q, b) => ByType.Floating(q.InputTypes[0],
            () => PerImage<float>(q, b, input: 1, AvgPoolGradImage<float>), () => Whole<double>(q, input: 1, AvgPoolGrad<double>));
    }

    // Source (x or dy) to result (y or dx): over the whole batch, or over one image with both offset to it.
    private delegate void PoolFn<T>(Window w, T* source, T* result) where T : unmanaged;

    private static IKernel Whole<T>(KernelRequest q, int input, PoolFn<T> fn) where T : unmanaged
    {
        var w = PoolKernels.Geometry(q);
        return new CpuKernel((i, o) => fn(w, i[input].Ptr<T>(), o[0].Ptr<T>()));
    }

    private static IKernel PerImage<T>(KernelRequest q, CpuBackend backend, int input, PoolFn<T> fn) where T : unmanaged
    {
        var w = PoolKernels.Geometry(q);
        bool pooling = input == 0;
        long sourceSize = pooling ? w.ImageSize : (long)w.OH * w.OW * w.C, resultSize = pooling ? (long)w.OH * w.OW * w.C : w.ImageSize;
        CpuBuffer[] ins = [], outs = [];
        Action<int> image = n => fn(w, ins[input].Ptr<T>() + n * sourceSize, outs[0].Ptr<T>() + n * resultSize);
        return new CpuKernel((i, o) =>
        {
            (ins, outs) = (i, o);
            backend.Pool.For(w.N, image);
        });
    }

    /// <summary>The reference: y [N, OH, OW, C] = the mean of each window's cells inside x [N, H, W, C].</summary>
    internal static void AvgPool<T>(Window w, T* x, T* y) where T : unmanaged, INumber<T>
    {
        for (int n = 0; n < w.N; n++)
            for (int oh = 0; oh < w.OH; oh++)
                for (int ow = 0; ow < w.OW; ow++)
                {
                    var (h0, h1, w0, w1) = PoolKernels.Cells(w, oh, ow);
                    T count = T.CreateChecked((h1 - h0) * (w1 - w0));
                    for (int c = 0; c < w.C; c++, y++)
                    {
                        T sum = T.Zero;
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++) sum += x[PoolKernels.Offset(w, n, ih, iw) + c];
                        *y = sum / count;
                    }
                }
    }

    /// <summary>The reference: dx [N, H, W, C] = each dy [N, OH, OW, C] divided by its window's count, added to its cells.</summary>
    internal static void AvgPoolGrad<T>(Window w, T* dy, T* dx) where T : unmanaged, INumber<T>
    {
        new Span<T>(dx, w.N * w.ImageSize).Clear();
        for (int n = 0; n < w.N; n++)
            for (int oh = 0; oh < w.OH; oh++)
                for (int ow = 0; ow < w.OW; ow++)
                {
                    var (h0, h1, w0, w1) = PoolKernels.Cells(w, oh, ow);
                    T count = T.CreateChecked((h1 - h0) * (w1 - w0));
                    for (int c = 0; c < w.C; c++, dy++)
                    {
                        T g = *dy / count;
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++) dx[PoolKernels.Offset(w, n, ih, iw) + c] += g;
                    }
                }
    }

    /// <summary>The fast form of <see cref="AvgPool"/> for one image, channels a vector at a time.</summary>
    internal static void AvgPoolImage<T>(Window w, T* x, T* y) where T : unmanaged, INumber<T>
    {
        int c = w.C;
        for (int oh = 0; oh < w.OH; oh++)
            for (int ow = 0; ow < w.OW; ow++, y += c)
            {
                var (h0, h1, w0, w1) = PoolKernels.Cells(w, oh, ow);
                T count = T.CreateChecked((h1 - h0) * (w1 - w0));
                int ch = 0;
                for (; ch <= c - Vector<T>.Count; ch += Vector<T>.Count)
                {
                    var sum = Vector<T>.Zero;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) sum += Vector.Load(x + PoolKernels.Offset(w, 0, ih, iw) + ch);
                    (sum / new Vector<T>(count)).Store(y + ch);
                }
                for (; ch < c; ch++)
                {
                    T sum = T.Zero;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) sum += x[PoolKernels.Offset(w, 0, ih, iw) + ch];
                    y[ch] = sum / count;
                }
            }
    }

    /// <summary>The fast form of <see cref="AvgPoolGrad"/> for one image, channels a vector at a time.</summary>
    internal static void AvgPoolGradImage<T>(Window w, T* dy, T* dx) where T : unmanaged, INumber<T>
    {
        int c = w.C;
        new Span<T>(dx, w.ImageSize).Clear();
        for (int oh = 0; oh < w.OH; oh++)
            for (int ow = 0; ow < w.OW; ow++, dy += c)
            {
                var (h0, h1, w0, w1) = PoolKernels.Cells(w, oh, ow);
                T count = T.CreateChecked((h1 - h0) * (w1 - w0));
                int ch = 0;
                for (; ch <= c - Vector<T>.Count; ch += Vector<T>.Count)
                {
                    var g = Vector.Load(dy + ch) / new Vector<T>(count);
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++)
                        {
                            T* cell = dx + PoolKernels.Offset(w, 0, ih, iw) + ch;
                            (Vector.Load(cell) + g).Store(cell);
                        }
                }
                for (; ch < c; ch++)
                {
                    T g = dy[ch] / count;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) dx[PoolKernels.Offset(w, 0, ih, iw) + ch] += g;
                }
            }
    }
}
