using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>
/// Reductions and their inverse, broadcasts. Every reduction (ReduceSum/Mean/Max/Min, SumTo) is a walk over
/// the input with output strides that are 0 along the reduced axes; every broadcast (BroadcastLike,
/// BroadcastReduced) a walk over the output with source strides that are 0 along the repeated axes.
/// </summary>
internal static unsafe class ReductionKernels
{
    private enum Kind { Sum, Mean, Max, Min }

    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.ReduceSumDef] = (q, b) => Reduce(q, b, KeptDims(q), Kind.Sum);
        r[Tf.ReduceMeanDef] = (q, b) => Reduce(q, b, KeptDims(q), Kind.Mean);
        r[Tf.ReduceMaxDef] = (q, b) => Reduce(q, b, KeptDims(q), Kind.Max);
        r[Tf.ReduceMinDef] = (q, b) => Reduce(q, b, KeptDims(q), Kind.Min);
        r[Tf.SumToDef] = (q, b) => Reduce(q, b, AlignedTo(q.OutputShapes[0].ToArray(), q.InputShapes[0].Rank), Kind.Sum);
        r[Tf.BroadcastLikeDef] = (q, _) => Broadcast(q, q.InputShapes[0].Dims.ToArray());
        r[Tf.BroadcastReducedDef] = (q, _) => Broadcast(q, KeptDims(q with { InputShapes = [q.InputShapes[1]] }));
        r[Tf.ArgMaxDef] = (q, _) => ByType.Numeric(q.InputTypes[0], () => ArgMax<float>(q), () => ArgMax<double>(q), () => ArgMax<int>(q));
    }

    // The shape of a reduction's result with the reduced axes kept as 1, for the op's input 0.
    private static int[] KeptDims(KernelRequest q)
    {
        var dims = q.InputShapes[0].ToArray();
        var reduced = q.Attrs<ReduceAttributes>().Reduced(dims.Length);
        for (int i = 0; i < dims.Length; i++) if (reduced[i]) dims[i] = 1;
        return dims;
    }

    // SumTo's target shape, right-aligned against the input as NumPy broadcasting aligns it: [32] → [1, 1, 1, 32].
    private static int[] AlignedTo(int[] dims, int rank) =>
        dims.Length >= rank ? dims : [.. Enumerable.Repeat(1, rank - dims.Length), .. dims];

    private static IKernel? Reduce(KernelRequest q, CpuBackend b, int[] keptDims, Kind kind) => kind == Kind.Sum
        ? ByType.Numeric(q.InputTypes[0], () => ReduceKernel<float>(q, b, keptDims, kind), () => ReduceKernel<double>(q, b, keptDims, kind), () => ReduceKernel<int>(q, b, keptDims, kind))
        : ByType.Floating(q.InputTypes[0], () => ReduceKernel<float>(q, b, keptDims, kind), () => ReduceKernel<double>(q, b, keptDims, kind));

    private static IKernel ReduceKernel<T>(KernelRequest q, CpuBackend backend, int[] keptDims, Kind kind) where T : unmanaged, INumber<T>
    {
        var inDims = q.InputShapes[0].ToArray();
        var inStrides = Strides.Broadcast(inDims, inDims);
        var outStrides = Strides.Broadcast(keptDims, inDims);
        int outSize = q.OutputShapes[0].Size, inSize = q.InputShapes[0].Size;
        T count = T.CreateChecked(outSize == 0 ? 1 : inSize / Math.Max(1, outSize));
        if (kind == Kind.Sum && inDims.Length > 1 && keptDims.Length == inDims.Length && keptDims[^1] == inDims[^1] && keptDims[..^1].All(d => d == 1))
            return SumRowsKernel<T>(backend, inSize / Math.Max(1, outSize), outSize);
        return new CpuKernel((i, o) =>
        {
            T* x = i[0].Ptr<T>(), y = o[0].Ptr<T>();
            var row = new ReduceRow<T> { X = x, Y = y, Kind = kind,
                Inner = inDims.Length == 0 ? 1 : inDims[^1], Io = inDims.Length == 0 ? 0 : outStrides[^1] };
            new Span<T>(y, outSize).Fill(kind switch { Kind.Max => -Infinity<T>(), Kind.Min => Infinity<T>(), _ => T.Zero });
            Strides.ForEachRow(inDims, inStrides, outStrides, ref row);
            if (kind == Kind.Mean)
                for (int k = 0; k < outSize; k++) y[k] /= count;
        });
    }

    /// <summary>
    /// [rows, c] → [c] (a bias gradient): fixed blocks of rows summed in parallel into partial rows, then
    /// the partials added in block order — the same result for any thread count.
    /// </summary>
    private static IKernel SumRowsKernel<T>(CpuBackend backend, int rows, int c) where T : unmanaged, INumber<T>
    {
        const int BlockRows = 2048;
        int blocks = Math.Max(1, (rows + BlockRows - 1) / BlockRows);
        var partial = new CpuBuffer((long)blocks * c * sizeof(T));
        T* x = null;
        Action<int> block = k => SumRows(x + (long)k * BlockRows * c, partial.Ptr<T>() + (long)k * c, Math.Min(BlockRows, rows - k * BlockRows), c);
        return new CpuKernel((i, o) =>
        {
            x = i[0].Ptr<T>();
            backend.Pool.For(blocks, block);
            SumRows(partial.Ptr<T>(), o[0].Ptr<T>(), blocks, c);
        });
    }

    /// <summary>[rows, c] → [c], a vector of columns at a time.</summary>
    internal static void SumRows<T>(T* x, T* y, int rows, int c) where T : unmanaged, INumber<T>
    {
        new Span<T>(y, c).Clear();
        for (int r = 0; r < rows; r++, x += c)
        {
            int j = 0;
            for (; j <= c - Vector<T>.Count; j += Vector<T>.Count) (Vector.Load(y + j) + Vector.Load(x + j)).Store(y + j);
            for (; j < c; j++) y[j] += x[j];
        }
    }

    // Max and Min reduce floating-point types only (Reduce refuses the others).
    private static T Infinity<T>() where T : unmanaged, INumber<T> => T.CreateChecked(double.PositiveInfinity);

    private struct ReduceRow<T> : IRowVisitor where T : unmanaged, INumber<T>
    {
        public T* X, Y;
        public Kind Kind;
        public int Inner, Io;
        public void Row(int inStart, int ix, int oy)
        {
            if (Kind == Kind.Max)
                for (int j = 0; j < Inner; j++) { T v = X[ix + j]; ref T m = ref Y[oy + j * Io]; if (v > m) m = v; }
            else if (Kind == Kind.Min)
                for (int j = 0; j < Inner; j++) { T v = X[ix + j]; ref T m = ref Y[oy + j * Io]; if (v < m) m = v; }
            else if (Io == 0)
            {
                T s = Y[oy];
                for (int j = 0; j < Inner; j++) s += X[ix + j];
                Y[oy] = s;
            }
            else
                for (int j = 0; j < Inner; j++) Y[oy + j * Io] += X[ix + j];
        }
    }

    /// <summary>Repeats input 0, viewed with <paramref name="sourceDims"/>, over the output's shape.</summary>
    private static IKernel? Broadcast(KernelRequest q, int[] sourceDims) =>
        ByType.Numeric(q.InputTypes[0], () => BroadcastKernel<float>(q, sourceDims), () => BroadcastKernel<double>(q, sourceDims), () => BroadcastKernel<int>(q, sourceDims));

    private static IKernel BroadcastKernel<T>(KernelRequest q, int[] sourceDims) where T : unmanaged, INumber<T>
    {
        var outDims = q.OutputShapes[0].ToArray();
        var srcStrides = Strides.Broadcast(sourceDims, outDims);
        var outStrides = Strides.Broadcast(outDims, outDims);
        return new CpuKernel((i, o) =>
        {
            var row = new BroadcastRow<T> { X = i[0].Ptr<T>(), Y = o[0].Ptr<T>(),
                Inner = outDims.Length == 0 ? 1 : outDims[^1], Is = outDims.Length == 0 ? 0 : srcStrides[^1] };
            Strides.ForEachRow(outDims, outStrides, srcStrides, ref row);
        });
    }

    /// <summary>Gathers one output row from a strided source: a broadcast (stride 0 along repeated axes) or a transpose.</summary>
    internal struct BroadcastRow<T> : IRowVisitor where T : unmanaged
    {
        public T* X, Y;
        public int Inner, Is;
        public void Row(int outStart, int oy, int ix)
        {
            for (int j = 0; j < Inner; j++) Y[oy + j] = X[ix + j * Is];
        }
    }

    private static IKernel ArgMax<T>(KernelRequest q) where T : unmanaged, INumber<T>
    {
        var dims = q.InputShapes[0].ToArray();
        int axis = q.Attrs<AxisAttributes>().For(dims.Length);
        int outer = 1, inner = 1, len = dims[axis];
        for (int d = 0; d < axis; d++) outer *= dims[d];
        for (int d = axis + 1; d < dims.Length; d++) inner *= dims[d];
        return new CpuKernel((i, o) =>
        {
            T* x = i[0].Ptr<T>();
            int* y = o[0].Ptr<int>();
            for (int a = 0; a < outer; a++)
                for (int c = 0; c < inner; c++)
                {
                    T* p = x + (long)a * len * inner + c;
                    int best = 0;
                    for (int k = 1; k < len; k++) if (p[k * inner] > p[best * inner]) best = k;
                    y[a * inner + c] = best;
                }
        });
    }
}
