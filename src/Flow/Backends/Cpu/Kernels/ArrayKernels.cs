using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>Identity, Cast, fills, Size; and the state ops, which are copies and updates into a variable.</summary>
internal static unsafe class ArrayKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.IdentityDef] = (q, _) => Copy(q);
        r[Tf.AssignDef] = (q, _) => Copy(q, input: 1);
        r[Tf.AssignAddDef] = (q, _) => Update(q, add: true);
        r[Tf.AssignSubDef] = (q, _) => Update(q, add: false);
        r[Tf.ZerosLikeDef] = (q, _) => new CpuKernel((i, o) => o[0].Span<byte>(ByteSize(q)).Clear());
        r[Tf.OnesLikeDef] = (q, _) => ByType.Numeric(q.OutputTypes[0], () => Fill(q, 1f), () => Fill(q, 1d), () => Fill(q, 1));
        r[Graph.FillDef] = (q, _) =>
        {
            double v = q.Attrs<FillAttributes>().Value;
            return ByType.Numeric(q.OutputTypes[0], () => Fill(q, (float)v), () => Fill(q, v), () => Fill(q, (int)v));
        };
        r[Tf.SizeDef] = (q, _) => new CpuKernel((i, o) => *o[0].Ptr<int>() = q.InputShapes[0].Size);
        r[Tf.CastDef] = (q, _) => Cast(q);
    }

    private static int ByteSize(KernelRequest q) => q.OutputShapes[0].Size * q.OutputTypes[0].Size();

    private static IKernel Copy(KernelRequest q, int input = 0)
    {
        int bytes = ByteSize(q);
        return new CpuKernel((i, o) => i[input].Span<byte>(bytes).CopyTo(o[0].Span<byte>(bytes)));
    }

    private static IKernel Fill<T>(KernelRequest q, T value) where T : unmanaged
    {
        int n = q.OutputShapes[0].Size;
        return new CpuKernel((i, o) => o[0].Span<T>(n).Fill(value));
    }

    // Output 0 aliases input 0 (the variable): var ±= value in place.
    private static IKernel? Update(KernelRequest q, bool add) =>
        ByType.Numeric(q.InputTypes[0], () => UpdateKernel<float>(q, add), () => UpdateKernel<double>(q, add), () => UpdateKernel<int>(q, add));

    private static IKernel UpdateKernel<T>(KernelRequest q, bool add) where T : unmanaged, INumber<T>
    {
        int n = q.OutputShapes[0].Size;
        return new CpuKernel((i, o) =>
        {
            T* v = i[0].Ptr<T>(), d = i[1].Ptr<T>();
            if (add) for (int k = 0; k < n; k++) v[k] += d[k];
            else for (int k = 0; k < n; k++) v[k] -= d[k];
        });
    }

    private static IKernel? Cast(KernelRequest q) => q.InputTypes[0] switch
    {
        DType.Float32 => CastFrom<float>(q),
        DType.Float64 => CastFrom<double>(q),
        DType.Int32 => CastFrom<int>(q),
        DType.Bool => CastFromBool(q),
        _ => null,
    };

    private static IKernel? CastFrom<TIn>(KernelRequest q) where TIn : unmanaged, INumber<TIn> => q.OutputTypes[0] switch
    {
        DType.Float32 => CastKernel<TIn, float>(q),
        DType.Float64 => CastKernel<TIn, double>(q),
        DType.Int32 => CastKernel<TIn, int>(q),
        DType.Bool => CastToBool<TIn>(q),
        _ => null,
    };

    private static IKernel CastKernel<TIn, TOut>(KernelRequest q) where TIn : unmanaged, INumber<TIn> where TOut : unmanaged, INumber<TOut>
    {
        int n = q.OutputShapes[0].Size;
        return new CpuKernel((i, o) =>
        {
            TIn* x = i[0].Ptr<TIn>();
            TOut* y = o[0].Ptr<TOut>();
            for (int k = 0; k < n; k++) y[k] = TOut.CreateTruncating(x[k]);
        });
    }

    private static IKernel CastToBool<TIn>(KernelRequest q) where TIn : unmanaged, INumber<TIn>
    {
        int n = q.OutputShapes[0].Size;
        return new CpuKernel((i, o) =>
        {
            TIn* x = i[0].Ptr<TIn>();
            bool* y = o[0].Ptr<bool>();
            for (int k = 0; k < n; k++) y[k] = x[k] != TIn.Zero;
        });
    }

    private static IKernel? CastFromBool(KernelRequest q)
    {
        int n = q.OutputShapes[0].Size;
        return q.OutputTypes[0] switch
        {
            DType.Float32 => BoolTo(n, 1f),
            DType.Float64 => BoolTo(n, 1d),
            DType.Int32 => BoolTo(n, 1),
            DType.Bool => Copy(q),
            _ => null,
        };
    }

    private static IKernel BoolTo<T>(int n, T one) where T : unmanaged => new CpuKernel((i, o) =>
    {
        bool* x = i[0].Ptr<bool>();
        T* y = o[0].Ptr<T>();
        for (int k = 0; k < n; k++) y[k] = x[k] ? one : default;
    });
}
