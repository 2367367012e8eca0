namespace Flow.Backends.Cpu;

/// <summary>
/// Transpose of any permutation. The reference gathers each output row through the permuted input strides.
/// The fast path first drops size-1 axes and merges input axes that stay neighbours (NHWC → NCHW is then
/// [N, HW, C] → [N, C, HW]); when what is left swaps the last two axes under a batch, it copies in square tiles
/// so that both the reads and the writes stay within a few cache lines.
/// </summary>
internal static unsafe class TransposeKernels
{
    private const int Tile = 16;

    public static void Register(Dictionary<OpDef, KernelFactory> r) => r[Tf.TransposeDef] = (q, _) => q.OutputTypes[0].Size() switch
    {
        1 => Kernel<byte>(q),
        4 => Kernel<int>(q),
        8 => Kernel<long>(q),
        _ => null,
    };

    // Elements are moved, never computed on, so only their size matters.
    private static IKernel Kernel<T>(KernelRequest q) where T : unmanaged
    {
        var dims = q.InputShapes[0].ToArray();
        var perm = q.Attrs<PermutationAttributes>().Perm;
        var (d, p) = Simplify(dims, perm);
        int n = q.OutputShapes[0].Size;
        if (p.Length <= 1) return new CpuKernel((i, o) => new Span<T>(i[0].Ptr<T>(), n).CopyTo(new Span<T>(o[0].Ptr<T>(), n)));
        if (p[^1] == p.Length - 2 && p[^2] == p.Length - 1 && p[..^2].Select((v, k) => v == k).All(b => b))
        {
            int rows = d[^2], cols = d[^1], batch = n / (rows * cols);
            return new CpuKernel((i, o) => BatchedSwap(i[0].Ptr<T>(), o[0].Ptr<T>(), batch, rows, cols));
        }
        return new CpuKernel((i, o) => Reference(i[0].Ptr<T>(), dims, perm, o[0].Ptr<T>()));
    }

    /// <summary>The reference: y[i0, .., ir−1] = x at index i_k along axis perm[k].</summary>
    internal static void Reference<T>(T* x, int[] dims, int[] perm, T* y) where T : unmanaged
    {
        var outDims = perm.Select(p => dims[p]).ToArray();
        var inStrides = Strides.Broadcast(dims, dims);
        var source = perm.Select(p => inStrides[p]).ToArray();
        var row = new ReductionKernels.BroadcastRow<T> { X = x, Y = y,
            Inner = outDims.Length == 0 ? 1 : outDims[^1], Is = outDims.Length == 0 ? 0 : source[^1] };
        Strides.ForEachRow(outDims, Strides.Broadcast(outDims, outDims), source, ref row);
    }

    /// <summary>[batch, rows, cols] → [batch, cols, rows], tile by tile.</summary>
    internal static void BatchedSwap<T>(T* x, T* y, int batch, int rows, int cols) where T : unmanaged
    {
        for (int b = 0; b < batch; b++, x += (long)rows * cols, y += (long)rows * cols)
            for (int r0 = 0; r0 < rows; r0 += Tile)
                for (int c0 = 0; c0 < cols; c0 += Tile)
                {
                    int r1 = Math.Min(r0 + Tile, rows), c1 = Math.Min(c0 + Tile, cols);
                    for (int c = c0; c < c1; c++)
                        for (int r = r0; r < r1; r++) y[(long)c * rows + r] = x[(long)r * cols + c];
                }
    }

    /// <summary>The same transpose over fewer axes: size-1 axes dropped, runs of input axes that perm keeps in order merged.</summary>
    internal static (int[] Dims, int[] Perm) Simplify(int[] dims, int[] perm)
    {
        var kept = Enumerable.Range(0, dims.Length).Where(a => dims[a] != 1).ToList();   // input axes that remain
        var groups = new List<List<int>>();                                               // runs, in output order
        foreach (int a in perm.Where(a => dims[a] != 1))
            if (groups.Count > 0 && kept.IndexOf(groups[^1][^1]) + 1 == kept.IndexOf(a)) groups[^1].Add(a);
            else groups.Add([a]);
        var byInput = groups.OrderBy(g => g[0]).ToList();
        return (byInput.Select(g => g.Aggregate(1, (size, a) => size * dims[a])).ToArray(), groups.Select(g => byInput.IndexOf(g)).ToArray());
    }
}
