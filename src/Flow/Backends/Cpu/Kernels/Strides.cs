namespace Flow.Backends.Cpu;

/// <summary>Index arithmetic shared by the broadcasting and reducing kernels.</summary>
internal static class Strides
{
    /// <summary>
    /// Strides to walk a tensor of <paramref name="inDims"/> over the index space of
    /// <paramref name="outDims"/> (NumPy alignment from the right): 0 along broadcast axes.
    /// </summary>
    public static int[] Broadcast(ReadOnlySpan<int> inDims, ReadOnlySpan<int> outDims)
    {
        var strides = new int[outDims.Length];
        int stride = 1;
        for (int i = outDims.Length - 1, j = inDims.Length - 1; i >= 0; i--, j--)
        {
            int d = j >= 0 ? inDims[j] : 1;
            strides[i] = d == 1 && outDims[i] != 1 ? 0 : stride;
            stride *= d;
        }
        return strides;
    }

    /// <summary>Visits every index of <paramref name="dims"/> in row-major order, tracking one offset per stride set.</summary>
    /// <remarks>Calls the visitor once per innermost row with the starting offsets; the visitor loops the row.</remarks>
    public static void ForEachRow<TRow>(ReadOnlySpan<int> dims, int[] s0, int[] s1, ref TRow row) where TRow : struct, IRowVisitor
    {
        int rank = dims.Length;
        if (rank == 0) { row.Row(0, 0, 0); return; }
        int inner = dims[rank - 1], total = 1;
        foreach (var d in dims) total *= d;
        if (total == 0) return;
        Span<int> idx = stackalloc int[rank];
        int o0 = 0, o1 = 0;
        for (int start = 0; start < total; start += inner)
        {
            row.Row(start, o0, o1);
            for (int d = rank - 2; d >= 0; d--)
            {
                idx[d]++; o0 += s0[d]; o1 += s1[d];
                if (idx[d] < dims[d]) break;
                o0 -= s0[d] * dims[d]; o1 -= s1[d] * dims[d]; idx[d] = 0;
            }
        }
    }

    public static bool IsContiguous(int[] strides, ReadOnlySpan<int> dims)
    {
        int expect = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            if (dims[i] != 1 && strides[i] != expect) return false;
            expect *= dims[i];
        }
        return true;
    }

    public static bool IsAllZero(int[] strides) => strides.All(s => s == 0);
}

/// <summary>One innermost row of a strided walk: the output offset and the offsets into two operands.</summary>
internal interface IRowVisitor
{
    void Row(int outStart, int offset0, int offset1);
}
