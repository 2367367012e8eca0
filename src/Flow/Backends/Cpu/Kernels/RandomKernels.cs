using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>Random tensors and dropout, drawn from the op's session stream (sequentially, so results are deterministic).</summary>
internal static unsafe class RandomKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.RandomNormalDef] = (q, _) => Draw(q, s => s.NextNormal());
        r[Tf.RandomUniformDef] = (q, _) => Draw(q, s => s.NextDouble());
        r[Tf.TruncatedNormalDef] = (q, _) => Draw(q, s => s.NextTruncatedNormal());
        r[Tf.DropoutDef] = (q, _) => ByType.Floating(q.InputTypes[0], () => Dropout<float>(q), () => Dropout<double>(q));
    }

    private static IKernel? Draw(KernelRequest q, Func<RandomStream, double> next)
    {
        var stream = q.Random ?? throw new InvalidOperationException($"{q.Op.Name}: no random stream");
        int n = q.OutputShapes[0].Size;
        return q.OutputTypes[0] switch
        {
            DType.Float32 => new CpuKernel((i, o) => { float* y = o[0].Ptr<float>(); for (int k = 0; k < n; k++) y[k] = (float)next(stream); }),
            DType.Float64 => new CpuKernel((i, o) => { double* y = o[0].Ptr<double>(); for (int k = 0; k < n; k++) y[k] = next(stream); }),
            _ => null,
        };
    }

    // Inputs x, keepProb (scalar); outputs y = x · mask and mask. An element is kept when u < keepProb for
    // u uniform in [0, 1), compared in double; keepProb = 1 is the identity (scale exactly 1) and draws nothing.
    private static IKernel Dropout<T>(KernelRequest q) where T : unmanaged, INumber<T>
    {
        var stream = q.Random ?? throw new InvalidOperationException($"{q.Op.Name}: no random stream");
        int n = q.OutputShapes[0].Size;
        string name = q.Op.Name;
        return new CpuKernel((i, o) =>
        {
            T keep = *i[1].Ptr<T>();
            double p = double.CreateTruncating(keep);
            if (!(p > 0 && p <= 1)) throw new InvalidOperationException($"Dropout '{name}': keep probability {p} is outside (0, 1]");
            T scale = T.One / keep;
            T* x = i[0].Ptr<T>(), y = o[0].Ptr<T>(), mask = o[1].Ptr<T>();
            if (p == 1)
            {
                // Keeping everything draws nothing: an evaluation pass (keep_prob fed as 1) between training
                // steps must not move the stream, or the masks of training would depend on when it evaluates.
                new Span<T>(mask, n).Fill(T.One);
                new Span<T>(x, n).CopyTo(new Span<T>(y, n));
                return;
            }
            // The same draws in the same order as stream.NextDouble(), from a local copy kept in registers.
            var generator = stream.Generator;
            for (int k = 0; k < n; k++)
            {
                T m = generator.NextDouble() < p ? scale : T.Zero;
                mask[k] = m;
                y[k] = x[k] * m;
            }
            stream.Generator = generator;
        });
    }
}
