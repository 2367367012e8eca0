using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>Scalar and SIMD forms of one element-wise binary function.</summary>
internal interface IBinaryOp<T> where T : unmanaged, INumber<T>
{
    static abstract T Apply(T a, T b);
    static abstract Vector<T> Apply(Vector<T> a, Vector<T> b);
}

internal struct AddOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a + b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a + b;
}
internal struct SubOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a - b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a - b;
}
internal struct MulOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a * b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a * b;
}
internal struct DivOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a / b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a / b;
}
internal struct MaxOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a >= b ? a : b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.ConditionalSelect(Vector.GreaterThanOrEqual(a, b), a, b);
}

internal interface ICompareOp<T> where T : unmanaged, INumber<T>
{
    static abstract bool Apply(T a, T b);
}
internal struct EqualOp<T> : ICompareOp<T> where T : unmanaged, INumber<T> { public static bool Apply(T a, T b) => a == b; }
internal struct GreaterEqualOp<T> : ICompareOp<T> where T : unmanaged, INumber<T> { public static bool Apply(T a, T b) => a >= b; }

internal interface IUnaryOp<T> where T : unmanaged
{
    static abstract T Apply(T x);
}
internal struct NegOp<T> : IUnaryOp<T> where T : unmanaged, INumber<T> { public static T Apply(T x) => -x; }
internal struct ExpOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Exp(x); }
internal struct LogOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Log(x); }
internal struct SquareOp<T> : IUnaryOp<T> where T : unmanaged, INumber<T> { public static T Apply(T x) => x * x; }
internal struct SqrtOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Sqrt(x); }
internal struct FloorOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Floor(x); }
internal struct ReluOp<T> : IUnaryOp<T> where T : unmanaged, INumber<T> { public static T Apply(T x) => x > T.Zero ? x : T.Zero; }

/// <summary>Element-wise kernels: broadcasting binary ops, comparisons, unary functions, ReluGrad.</summary>
internal static unsafe class ElementwiseKernels
{
    public static void Register(Dictionary<string, KernelFactory> r)
    {
        r["Add"] = (q, _) => Binary<AddOp<float>, AddOp<double>, AddOp<int>>(q);
        r["Sub"] = (q, _) => Binary<SubOp<float>, SubOp<double>, SubOp<int>>(q);
        r["Mul"] = (q, _) => Binary<MulOp<float>, MulOp<double>, MulOp<int>>(q);
        r["Div"] = (q, _) => Binary<DivOp<float>, DivOp<double>, DivOp<int>>(q);
        r["Maximum"] = (q, _) => Binary<MaxOp<float>, MaxOp<double>, MaxOp<int>>(q);
        r["Equal"] = (q, _) => Compare<EqualOp<float>, EqualOp<double>, EqualOp<int>>(q);
        r["GreaterEqual"] = (q, _) => Compare<GreaterEqualOp<float>, GreaterEqualOp<double>, GreaterEqualOp<int>>(q);
        r["Neg"] = (q, _) => ByType.Numeric(q.InputTypes[0], Unary<float, NegOp<float>>(q), Unary<double, NegOp<double>>(q), Unary<int, NegOp<int>>(q));
        r["Exp"] = (q, _) => Floating<ExpOp<float>, ExpOp<double>>(q);
        r["Log"] = (q, _) => Floating<LogOp<float>, LogOp<double>>(q);
        r["Square"] = (q, _) => Floating<SquareOp<float>, SquareOp<double>>(q);
        r["Sqrt"] = (q, _) => Floating<SqrtOp<float>, SqrtOp<double>>(q);
        r["Floor"] = (q, _) => Floating<FloorOp<float>, FloorOp<double>>(q);
        r["Relu"] = (q, _) => Floating<ReluOp<float>, ReluOp<double>>(q);
        r["ReluGrad"] = (q, _) => ByType.Floating(q.InputTypes[0], () => ReluGrad<float>(q), () => ReluGrad<double>(q));
    }

    private static IKernel? Binary<TF, TD, TI>(KernelRequest q)
        where TF : IBinaryOp<float> where TD : IBinaryOp<double> where TI : IBinaryOp<int> =>
        ByType.Numeric(q.InputTypes[0], () => BinaryKernel<float, TF>(q), () => BinaryKernel<double, TD>(q), () => BinaryKernel<int, TI>(q));

    private static IKernel? Compare<TF, TD, TI>(KernelRequest q)
        where TF : ICompareOp<float> where TD : ICompareOp<double> where TI : ICompareOp<int> =>
        ByType.Numeric(q.InputTypes[0], () => CompareKernel<float, TF>(q), () => CompareKernel<double, TD>(q), () => CompareKernel<int, TI>(q));

    private static IKernel? Floating<TF, TD>(KernelRequest q) where TF : IUnaryOp<float> where TD : IUnaryOp<double> =>
        ByType.Floating(q.InputTypes[0], Unary<float, TF>(q), Unary<double, TD>(q));

    private static Func<IKernel> Unary<T, TOp>(KernelRequest q) where T : unmanaged where TOp : IUnaryOp<T> => () =>
    {
        int n = q.OutputShapes[0].Size;
        return new CpuKernel((i, o) =>
        {
            T* x = i[0].Ptr<T>(), y = o[0].Ptr<T>();
            for (int k = 0; k < n; k++) y[k] = TOp.Apply(x[k]);
        });
    };

    private static IKernel ReluGrad<T>(KernelRequest q) where T : unmanaged, INumber<T>
    {
        int n = q.OutputShapes[0].Size;
        return new CpuKernel((i, o) =>
        {
            T* dy = i[0].Ptr<T>(), y = i[1].Ptr<T>(), dx = o[0].Ptr<T>();
            for (int k = 0; k < n; k++) dx[k] = y[k] > T.Zero ? dy[k] : T.Zero;
        });
    }

    /// <summary>Broadcasting binary op with fast paths for equal shapes and a scalar operand.</summary>
    internal static IKernel BinaryKernel<T, TOp>(KernelRequest q) where T : unmanaged, INumber<T> where TOp : IBinaryOp<T>
    {
        var dims = q.OutputShapes[0].ToArray();
        int n = q.OutputShapes[0].Size;
        int[] sa = Strides.Broadcast(q.InputShapes[0].Dims, dims), sb = Strides.Broadcast(q.InputShapes[1].Dims, dims);
        bool aFull = Strides.IsContiguous(sa, dims) && q.InputShapes[0].Size == n;
        bool bFull = Strides.IsContiguous(sb, dims) && q.InputShapes[1].Size == n;
        if (aFull && bFull) return new CpuKernel((i, o) => Same<T, TOp>(i[0].Ptr<T>(), i[1].Ptr<T>(), o[0].Ptr<T>(), n));
        if (aFull && q.InputShapes[1].Size == 1) return new CpuKernel((i, o) => ScalarRight<T, TOp>(i[0].Ptr<T>(), *i[1].Ptr<T>(), o[0].Ptr<T>(), n));
        return new CpuKernel((i, o) => General<T, TOp>(i[0].Ptr<T>(), sa, i[1].Ptr<T>(), sb, o[0].Ptr<T>(), dims));
    }

    private static void Same<T, TOp>(T* a, T* b, T* y, int n) where T : unmanaged, INumber<T> where TOp : IBinaryOp<T>
    {
        int k = 0, w = Vector<T>.Count;
        for (; k <= n - w; k += w)
            TOp.Apply(Vector.Load(a + k), Vector.Load(b + k)).Store(y + k);
        for (; k < n; k++) y[k] = TOp.Apply(a[k], b[k]);
    }

    private static void ScalarRight<T, TOp>(T* a, T b, T* y, int n) where T : unmanaged, INumber<T> where TOp : IBinaryOp<T>
    {
        int k = 0, w = Vector<T>.Count;
        var vb = new Vector<T>(b);
        for (; k <= n - w; k += w)
            TOp.Apply(Vector.Load(a + k), vb).Store(y + k);
        for (; k < n; k++) y[k] = TOp.Apply(a[k], b);
    }

    /// <summary>The reference: any broadcast, walking rows with per-operand strides.</summary>
    internal static void General<T, TOp>(T* a, int[] sa, T* b, int[] sb, T* y, int[] dims) where T : unmanaged, INumber<T> where TOp : IBinaryOp<T>
    {
        var row = new BinaryRow<T, TOp> { A = a, B = b, Y = y, Inner = dims.Length == 0 ? 1 : dims[^1],
            Ia = dims.Length == 0 ? 0 : sa[^1], Ib = dims.Length == 0 ? 0 : sb[^1] };
        Strides.ForEachRow(dims, sa, sb, ref row);
    }

    private struct BinaryRow<T, TOp> : IRowVisitor where T : unmanaged, INumber<T> where TOp : IBinaryOp<T>
    {
        public T* A, B, Y;
        public int Inner, Ia, Ib;
        public void Row(int outStart, int oa, int ob)
        {
            for (int j = 0; j < Inner; j++) Y[outStart + j] = TOp.Apply(A[oa + j * Ia], B[ob + j * Ib]);
        }
    }

    private static IKernel CompareKernel<T, TOp>(KernelRequest q) where T : unmanaged, INumber<T> where TOp : ICompareOp<T>
    {
        var dims = q.OutputShapes[0].ToArray();
        int[] sa = Strides.Broadcast(q.InputShapes[0].Dims, dims), sb = Strides.Broadcast(q.InputShapes[1].Dims, dims);
        return new CpuKernel((i, o) =>
        {
            var row = new CompareRow<T, TOp> { A = i[0].Ptr<T>(), B = i[1].Ptr<T>(), Y = o[0].Ptr<bool>(),
                Inner = dims.Length == 0 ? 1 : dims[^1], Ia = dims.Length == 0 ? 0 : sa[^1], Ib = dims.Length == 0 ? 0 : sb[^1] };
            Strides.ForEachRow(dims, sa, sb, ref row);
        });
    }

    private struct CompareRow<T, TOp> : IRowVisitor where T : unmanaged, INumber<T> where TOp : ICompareOp<T>
    {
        public T* A, B;
        public bool* Y;
        public int Inner, Ia, Ib;
        public void Row(int outStart, int oa, int ob)
        {
            for (int j = 0; j < Inner; j++) Y[outStart + j] = TOp.Apply(A[oa + j * Ia], B[ob + j * Ib]);
        }
    }
}
