using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>
/// The fused optimizer updates: SIMD over the variable and its slots, split into chunks across the
/// worker pool because large layers make them memory-bound.
/// </summary>
internal static unsafe class TrainingKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.ApplyGradientDescentDef] = (q, b) => ByType.Floating(q.InputTypes[0], () => GradientDescent<float>(q, b), () => GradientDescent<double>(q, b));
        r[Tf.ApplyMomentumDef] = (q, b) => ByType.Floating(q.InputTypes[0], () => Momentum<float>(q, b), () => Momentum<double>(q, b));
        r[Tf.ApplyAdamDef] = (q, b) => ByType.Floating(q.InputTypes[0], () => Adam<float>(q, b), () => Adam<double>(q, b));
        r[Tf.ApplyAdagradDef] = (q, b) => ByType.Floating(q.InputTypes[0], () => Adagrad<float>(q, b), () => Adagrad<double>(q, b));
        r[Tf.ApplyRmsPropDef] = (q, b) => ByType.Floating(q.InputTypes[0], () => RmsProp<float>(q, b), () => RmsProp<double>(q, b));
    }

    private static IKernel Chunked(KernelRequest q, CpuBackend backend, Action<CpuBuffer[], int, int> body) =>
        Chunks.Kernel(backend, q.OutputShapes[0].Size, (i, _, start, count) => body(i, start, count));

    private static IKernel GradientDescent<T>(KernelRequest q, CpuBackend backend) where T : unmanaged, IFloatingPointIeee754<T> =>
        Chunked(q, backend, (i, start, count) =>
        {
            T* v = i[0].Ptr<T>() + start, g = i[2].Ptr<T>() + start;
            T lr = *i[1].Ptr<T>();
            int k = 0;
            for (var vl = new Vector<T>(lr); k <= count - Vector<T>.Count; k += Vector<T>.Count)
                (Vector.Load(v + k) - vl * Vector.Load(g + k)).Store(v + k);
            for (; k < count; k++) v[k] -= lr * g[k];
        });

    private static IKernel Momentum<T>(KernelRequest q, CpuBackend backend) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var attrs = q.Attrs<MomentumAttributes>();
        T mu = T.CreateChecked(attrs.Momentum);
        bool nesterov = attrs.UseNesterov;
        // TF's forms: accum = accum·μ + g; var −= lr·accum, or with Nesterov var −= g·lr + accum·μ·lr.
        return Chunked(q, backend, (i, start, count) =>
        {
            T* v = i[0].Ptr<T>() + start, a = i[1].Ptr<T>() + start, g = i[3].Ptr<T>() + start;
            T lr = *i[2].Ptr<T>();
            int k = 0;
            for (Vector<T> vl = new(lr), vm = new(mu); k <= count - Vector<T>.Count; k += Vector<T>.Count)
            {
                var grad = Vector.Load(g + k);
                var acc = Vector.Load(a + k) * vm + grad;
                acc.Store(a + k);
                (Vector.Load(v + k) - (nesterov ? grad * vl + acc * vm * vl : vl * acc)).Store(v + k);
            }
            for (; k < count; k++)
            {
                a[k] = a[k] * mu + g[k];
                v[k] -= nesterov ? g[k] * lr + a[k] * mu * lr : lr * a[k];
            }
        });
    }

    private static IKernel Adam<T>(KernelRequest q, CpuBackend backend) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = q.Attrs<AdamAttributes>();
        T b1 = T.CreateChecked(a.Beta1), b2 = T.CreateChecked(a.Beta2), eps = T.CreateChecked(a.Epsilon);
        return Chunked(q, backend, (i, start, count) =>
        {
            T* v = i[0].Ptr<T>() + start, m = i[1].Ptr<T>() + start, s = i[2].Ptr<T>() + start, g = i[6].Ptr<T>() + start;
            T b1p = *i[3].Ptr<T>(), b2p = *i[4].Ptr<T>(), lr = *i[5].Ptr<T>();
            T lrT = lr * T.Sqrt(T.One - b2p) / (T.One - b1p);
            int k = 0;
            for (Vector<T> vb1 = new(b1), vb2 = new(b2), c1 = new(T.One - b1), c2 = new(T.One - b2), vlr = new(lrT), ve = new(eps);
                 k <= count - Vector<T>.Count; k += Vector<T>.Count)
            {
                var grad = Vector.Load(g + k);
                var mk = vb1 * Vector.Load(m + k) + c1 * grad;
                var sk = vb2 * Vector.Load(s + k) + c2 * grad * grad;
                mk.Store(m + k);
                sk.Store(s + k);
                (Vector.Load(v + k) - vlr * mk / (Vector.SquareRoot(sk) + ve)).Store(v + k);
            }
            for (; k < count; k++)
            {
                m[k] = b1 * m[k] + (T.One - b1) * g[k];
                s[k] = b2 * s[k] + (T.One - b2) * g[k] * g[k];
                v[k] -= lrT * m[k] / (T.Sqrt(s[k]) + eps);
            }
        });
    }

    // TF 1.x's ApplyAdagrad: accum += g²; var −= lr · g / √accum.
    private static IKernel Adagrad<T>(KernelRequest q, CpuBackend backend) where T : unmanaged, IFloatingPointIeee754<T> =>
        Chunked(q, backend, (i, start, count) =>
        {
            T* v = i[0].Ptr<T>() + start, a = i[1].Ptr<T>() + start, g = i[3].Ptr<T>() + start;
            T lr = *i[2].Ptr<T>();
            int k = 0;
            for (var vl = new Vector<T>(lr); k <= count - Vector<T>.Count; k += Vector<T>.Count)
            {
                var grad = Vector.Load(g + k);
                var acc = Vector.Load(a + k) + grad * grad;
                acc.Store(a + k);
                (Vector.Load(v + k) - vl * grad / Vector.SquareRoot(acc)).Store(v + k);
            }
            for (; k < count; k++)
            {
                a[k] += g[k] * g[k];
                v[k] -= lr * g[k] / T.Sqrt(a[k]);
            }
        });

    // TF's ApplyRMSProp: ms += (g² − ms)·(1 − decay); mom = mom·momentum + lr·g / √(ms + ε); var −= mom.
    private static IKernel RmsProp<T>(KernelRequest q, CpuBackend backend) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = q.Attrs<RmsPropAttributes>();
        T oneMinusDecay = T.One - T.CreateChecked(a.Decay), mu = T.CreateChecked(a.Momentum), eps = T.CreateChecked(a.Epsilon);
        return Chunked(q, backend, (i, start, count) =>
        {
            T* v = i[0].Ptr<T>() + start, ms = i[1].Ptr<T>() + start, mom = i[2].Ptr<T>() + start, g = i[4].Ptr<T>() + start;
            T lr = *i[3].Ptr<T>();
            int k = 0;
            for (Vector<T> vl = new(lr), vd = new(oneMinusDecay), vm = new(mu), ve = new(eps); k <= count - Vector<T>.Count; k += Vector<T>.Count)
            {
                var grad = Vector.Load(g + k);
                var s = Vector.Load(ms + k);
                s += (grad * grad - s) * vd;
                s.Store(ms + k);
                var m = Vector.Load(mom + k) * vm + vl * grad / Vector.SquareRoot(s + ve);
                m.Store(mom + k);
                (Vector.Load(v + k) - m).Store(v + k);
            }
            for (; k < count; k++)
            {
                ms[k] += (g[k] * g[k] - ms[k]) * oneMinusDecay;
                mom[k] = mom[k] * mu + lr * g[k] / T.Sqrt(ms[k] + eps);
                v[k] -= mom[k];
            }
        });
    }
}
