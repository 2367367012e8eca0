using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>Scalar and SIMD forms of one element-wise binary function (the scalar form is the reference).</summary>
internal interface IBinaryOp<T> where T : unmanaged, INumber<T>
{
    static abstract T Apply(T a, T b);
    static virtual bool HasVector => true;
    static virtual Vector<T> Apply(Vector<T> a, Vector<T> b) => throw new NotSupportedException();
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
internal struct MinOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a <= b ? a : b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.ConditionalSelect(Vector.LessThanOrEqual(a, b), a, b);
}
// .NET has no vector pow: every lane takes the scalar form.
internal struct PowOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Pow(a, b);
    public static bool HasVector => false;
}

internal interface ICompareOp<T> where T : unmanaged, INumber<T>
{
    static abstract bool Apply(T a, T b);
}
internal struct EqualOp<T> : ICompareOp<T> where T : unmanaged, INumber<T> { public static bool Apply(T a, T b) => a == b; }
internal struct GreaterEqualOp<T> : ICompareOp<T> where T : unmanaged, INumber<T> { public static bool Apply(T a, T b) => a >= b; }

/// <summary>One element-wise unary function; SIMD where the vector form exists (the scalar form is the reference).</summary>
internal interface IUnaryOp<T> where T : unmanaged
{
    static abstract T Apply(T x);
    static virtual bool HasVector => false;
    static virtual Vector<T> Apply(Vector<T> x) => throw new NotSupportedException();
}
internal struct NegOp<T> : IUnaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => -x;
    public static bool HasVector => true;
    public static Vector<T> Apply(Vector<T> x) => -x;
}
internal struct ExpOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Exp(x); }
internal struct LogOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Log(x); }
internal struct SinOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Sin(x); }
internal struct CosOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Cos(x); }
internal struct SquareOp<T> : IUnaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => x * x;
    public static bool HasVector => true;
    public static Vector<T> Apply(Vector<T> x) => x * x;
}
internal struct SqrtOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sqrt(x);
    public static bool HasVector => true;
    public static Vector<T> Apply(Vector<T> x) => Vector.SquareRoot(x);
}
internal struct AbsOp<T> : IUnaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => T.Abs(x);
    public static bool HasVector => true;
    public static Vector<T> Apply(Vector<T> x) => Vector.Abs(x);
}
// x itself where it is neither positive nor negative: ±0 stays, NaN stays NaN (as TF's sign).
internal struct SignOp<T> : IUnaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : x;
    public static bool HasVector => true;
    public static Vector<T> Apply(Vector<T> x) =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One,
            Vector.ConditionalSelect(Vector.LessThan(x, Vector<T>.Zero), -Vector<T>.One, x));
}
internal struct FloorOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T> { public static T Apply(T x) => T.Floor(x); }
internal struct ReluOp<T> : IUnaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => x > T.Zero ? x : T.Zero;
    public static bool HasVector => true;
    public static Vector<T> Apply(Vector<T> x) => Vector.Max(x, Vector<T>.Zero);
}

/// <summary>Element-wise kernels: broadcasting binary ops, comparisons, unary functions, ReluGrad.</summary>
internal static unsafe class ElementwiseKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.AddDef] = (q, _) => Binary<AddOp<float>, AddOp<double>, AddOp<int>>(q);
        r[Tf.SubDef] = (q, _) => Binary<SubOp<float>, SubOp<double>, SubOp<int>>(q);
        r[Tf.MulDef] = (q, _) => Binary<MulOp<float>, MulOp<double>, MulOp<int>>(q);
        r[Tf.DivDef] = (q, _) => Binary<DivOp<float>, DivOp<double>, DivOp<int>>(q);
        r[Tf.MaximumDef] = (q, _) => Binary<MaxOp<float>, MaxOp<double>, MaxOp<int>>(q);
        r[Tf.MinimumDef] = (q, _) => Binary<MinOp<float>, MinOp<double>, MinOp<int>>(q);
        r[Tf.PowDef] = (q, _) => ByType.Floating(q.InputTypes[0], () => BinaryKernel<float, PowOp<float>>(q), () => BinaryKernel<double, PowOp<double>>(q));
        r[Tf.EqualDef] = (q, _) => Compare<EqualOp<float>, EqualOp<double>, EqualOp<int>>(q);
        r[Tf.GreaterEqualDef] = (q, _) => Compare<GreaterEqualOp<float>, GreaterEqualOp<double>, GreaterEqualOp<int>>(q);
        r[Tf.NegDef] = (q, b) => ByType.Numeric(q.InputTypes[0], Unary<float, NegOp<float>>(q, b), Unary<double, NegOp<double>>(q, b), Unary<int, NegOp<int>>(q, b));
        r[Tf.ExpDef] = (q, b) => Floating<ExpOp<float>, ExpOp<double>>(q, b);
        r[Tf.LogDef] = (q, b) => Floating<LogOp<float>, LogOp<double>>(q, b);
        r[Tf.SinDef] = (q, b) => Floating<SinOp<float>, SinOp<double>>(q, b);
        r[Tf.CosDef] = (q, b) => Floating<CosOp<float>, CosOp<double>>(q, b);
        r[Tf.SquareDef] = (q, b) => Floating<SquareOp<float>, SquareOp<double>>(q, b);
        r[Tf.SqrtDef] = (q, b) => Floating<SqrtOp<float>, SqrtOp<double>>(q, b);
        r[Tf.FloorDef] = (q, b) => Floating<FloorOp<float>, FloorOp<double>>(q, b);
        r[Tf.AbsDef] = (q, b) => Floating<AbsOp<float>, AbsOp<double>>(q, b);
        r[Tf.SignDef] = (q, b) => Floating<SignOp<float>, SignOp<double>>(q, b);
        r[Tf.SigmoidDef] = (q, b) => Floating<SigmoidOp<float>, SigmoidOp<double>>(q, b);
        r[Tf.TanhDef] = (q, b) => Floating<TanhOp<float>, TanhOp<double>>(q, b);
        r[Tf.ReluDef] = (q, b) => Floating<ReluOp<float>, ReluOp<double>>(q, b);
        r[Tf.ReluGradDef] = (q, b) => ByType.Floating(q.InputTypes[0], () => ReluGrad<float>(q, b), () => ReluGrad<double>(q, b));
    }

    private static IKernel? Binary<TF, TD, TI>(KernelRequest q)
        where TF : IBinaryOp<float> where TD : IBinaryOp<double> where TI : IBinaryOp<int> =>
        ByType.Numeric(q.InputTypes[0], () => BinaryKernel<float, TF>(q), () => BinaryKernel<double, TD>(q), () => BinaryKernel<int, TI>(q));

    private static IKernel? Compare<TF, TD, TI>(KernelRequest q)
        where TF : ICompareOp<float> where TD : ICompareOp<double> where TI : ICompareOp<int> =>
        ByType.Numeric(q.InputTypes[0], () => CompareKernel<float, TF>(q), () => CompareKernel<double, TD>(q), () => CompareKernel<int, TI>(q));

    private static IKernel? Floating<TF, TD>(KernelRequest q, CpuBackend b) where TF : IUnaryOp<float> where TD : IUnaryOp<double> =>
        ByType.Floating(q.InputTypes[0], Unary<float, TF>(q, b), Unary<double, TD>(q, b));

    private static Func<IKernel> Unary<T, TOp>(KernelRequest q, CpuBackend backend) where T : unmanaged, INumber<T> where TOp : IUnaryOp<T> => () =>
        Chunks.Kernel(backend, q.OutputShapes[0].Size, (i, o, start, n) => UnaryRange<T, TOp>(i[0].Ptr<T>() + start, o[0].Ptr<T>() + start, n));

    /// <summary>The scalar loop is the reference; the vector loop covers whole vectors where the op has one.</summary>
    internal static void UnaryRange<T, TOp>(T* x, T* y, int n) where T : unmanaged, INumber<T> where TOp : IUnaryOp<T>
    {
        int k = 0;
        if (TOp.HasVector)
            for (; k <= n - Vector<T>.Count; k += Vector<T>.Count) TOp.Apply(Vector.Load(x + k)).Store(y + k);
        for (; k < n; k++) y[k] = TOp.Apply(x[k]);
    }

    private static IKernel ReluGrad<T>(KernelRequest q, CpuBackend backend) where T : unmanaged, INumber<T> =>
        Chunks.Kernel(backend, q.OutputShapes[0].Size, (i, o, start, n) =>
        {
            T* dy = i[0].Ptr<T>() + start, y = i[1].Ptr<T>() + start, dx = o[0].Ptr<T>() + start;
            int k = 0;
            for (; k <= n - Vector<T>.Count; k += Vector<T>.Count)
                Vector.ConditionalSelect(Vector.GreaterThan(Vector.Load(y + k), Vector<T>.Zero), Vector.Load(dy + k), Vector<T>.Zero).Store(dx + k);
            for (; k < n; k++) dx[k] = y[k] > T.Zero ? dy[k] : T.Zero;
        });

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
        if (TOp.HasVector)
            for (; k <= n - w; k += w)
                TOp.Apply(Vector.Load(a + k), Vector.Load(b + k)).Store(y + k);
        for (; k < n; k++) y[k] = TOp.Apply(a[k], b[k]);
    }

    private static void ScalarRight<T, TOp>(T* a, T b, T* y, int n) where T : unmanaged, INumber<T> where TOp : IBinaryOp<T>
    {
        int k = 0, w = Vector<T>.Count;
        var vb = new Vector<T>(b);
        if (TOp.HasVector)
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
