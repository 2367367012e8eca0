using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>BiasAdd, softmax, log-softmax, the fused softmax cross-entropies and L2Loss, row by row.</summary>
internal static unsafe class NnKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.BiasAddDef] = (q, b) => ByType.Floating(q.InputTypes[0], () => BiasAdd<float>(q, b), () => BiasAdd<double>(q, b));
        r[Tf.SoftmaxDef] = (q, _) => ByType.Floating(q.InputTypes[0], () => Softmax<float>(q, log: false), () => Softmax<double>(q, log: false));
        r[Tf.LogSoftmaxDef] = (q, _) => ByType.Floating(q.InputTypes[0], () => Softmax<float>(q, log: true), () => Softmax<double>(q, log: true));
        r[Tf.SoftmaxXentDef] = (q, _) => ByType.Floating(q.InputTypes[0], () => Xent<float>(q, sparse: false), () => Xent<double>(q, sparse: false));
        r[Tf.SparseSoftmaxXentDef] = (q, _) => ByType.Floating(q.InputTypes[0], () => Xent<float>(q, sparse: true), () => Xent<double>(q, sparse: true));
        r[Tf.L2LossDef] = (q, _) => ByType.Floating(q.InputTypes[0], () => L2Loss<float>(q), () => L2Loss<double>(q));
    }

    // Rows of the last axis get the bias added; chunks of whole rows run on the pool.
    private static IKernel BiasAdd<T>(KernelRequest q, CpuBackend backend) where T : unmanaged, INumber<T>
    {
        int c = q.InputShapes[1][0], rows = c == 0 ? 0 : q.OutputShapes[0].Size / c;
        return Chunks.Kernel(backend, rows, (i, o, start, count) =>
        {
            T* x = i[0].Ptr<T>() + (long)start * c, b = i[1].Ptr<T>(), y = o[0].Ptr<T>() + (long)start * c;
            for (int r = 0; r < count; r++, x += c, y += c)
            {
                int j = 0;
                for (; j <= c - Vector<T>.Count; j += Vector<T>.Count) (Vector.Load(x + j) + Vector.Load(b + j)).Store(y + j);
                for (; j < c; j++) y[j] = x[j] + b[j];
            }
        });
    }

    // Rows of the last axis: y = exp(x - max) / sum, or its log (x - max - log sum), stable for large logits.
    private static IKernel Softmax<T>(KernelRequest q, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = q.InputShapes[0][-1], rows = c == 0 ? 0 : q.InputShapes[0].Size / c;
        return new CpuKernel((i, o) =>
        {
            T* x = i[0].Ptr<T>(), y = o[0].Ptr<T>();
            for (int r = 0; r < rows; r++, x += c, y += c)
            {
                T lse = LogSumExp(x, c, out T max);
                for (int j = 0; j < c; j++) y[j] = log ? x[j] - max - lse : T.Exp(x[j] - max - lse);
            }
        });
    }

    // log Σ exp(x − max), and the max.
    private static T LogSumExp<T>(T* x, int c, out T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        max = T.NegativeInfinity;
        for (int j = 0; j < c; j++) if (x[j] > max) max = x[j];
        T sum = T.Zero;
        for (int j = 0; j < c; j++) sum += T.Exp(x[j] - max);
        return T.Log(sum);
    }

    // Inputs: logits [n, c], labels ([n, c] dense or [n] int). Outputs: loss [n], backprop [n, c] = softmax − labels.
    private static IKernel Xent<T>(KernelRequest q, bool sparse) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = q.InputShapes[0][0], c = q.InputShapes[0][1];
        string name = q.Op.Name;
        return new CpuKernel((i, o) =>
        {
            T* x = i[0].Ptr<T>(), loss = o[0].Ptr<T>(), grad = o[1].Ptr<T>();
            for (int r = 0; r < n; r++, x += c, grad += c)
            {
                T lse = LogSumExp(x, c, out T max), l = T.Zero;
                for (int j = 0; j < c; j++) grad[j] = T.Exp(x[j] - max - lse);
                if (sparse)
                {
                    int label = i[1].Ptr<int>()[r];
                    if ((uint)label >= (uint)c)
                        throw new InvalidOperationException($"{name}: label {label} of example {r} is outside [0, {c})");
                    l = lse + max - x[label];
                    grad[label] -= T.One;
                }
                else
                {
                    T* y = i[1].Ptr<T>() + (long)r * c;
                    for (int j = 0; j < c; j++)
                    {
                        if (y[j] != T.Zero) l -= y[j] * (x[j] - max - lse);
                        grad[j] -= y[j];
                    }
                }
                loss[r] = l;
            }
        });
    }

    private static IKernel L2Loss<T>(KernelRequest q) where T : unmanaged, INumber<T>
    {
        int n = q.InputShapes[0].Size;
        T half = T.One / (T.One + T.One);
        return new CpuKernel((i, o) => *o[0].Ptr<T>() = SumOfSquares(i[0].Ptr<T>(), n) * half);
    }

    /// <summary>
    /// Σ x[k]², in a fixed order whatever the thread count: four vector partial sums over the whole vectors, added
    /// pairwise, then their lanes in order, then the tail. A single scalar chain made lenet's four L2Loss ops (1.6 M
    /// weights) wait on one add's latency per weight, 4% of its step; only the loss's value depends on this order.
    /// </summary>
    internal static T SumOfSquares<T>(T* x, int n) where T : unmanaged, INumber<T>
    {
        int width = Vector<T>.Count, k = 0;
        Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
        for (; k <= n - 4 * width; k += 4 * width)
        {
            var v0 = Vector.Load(x + k);
            var v1 = Vector.Load(x + k + width);
            var v2 = Vector.Load(x + k + 2 * width);
            var v3 = Vector.Load(x + k + 3 * width);
            s0 += v0 * v0;
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        var lanes = (s0 + s1) + (s2 + s3);
        T s = T.Zero;
        for (int j = 0; j < width; j++) s += lanes[j];
        for (; k < n; k++) s += x[k] * x[k];
        return s;
    }
}
