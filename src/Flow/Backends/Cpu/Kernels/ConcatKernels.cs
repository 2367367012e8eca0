namespace Flow.Backends.Cpu;

/// <summary>
/// Concat and ConcatSlice as block copies. Viewed as [outer, extent along the axis · inner], every input is
/// one contiguous block per outer index, laid side by side in the output; ConcatSlice copies one of them back.
/// </summary>
internal static unsafe class ConcatKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.ConcatDef] = (q, _) => Concat(Layout(q.InputShapes, q.Attrs<AxisAttributes>().Axis, q.OutputTypes[0].Size()));
        r[Tf.ConcatSliceDef] = (q, _) =>
        {
            var a = q.Attrs<ConcatSliceAttributes>();
            return Slice(Layout(q.InputShapes[1..], a.Axis, q.OutputTypes[0].Size()), a.Index);
        };
    }

    /// <summary>Per outer index: each part's block of bytes and where it starts in the joined row.</summary>
    internal sealed record BlockLayout(int Outer, long[] Bytes, long[] Offsets, long RowBytes);

    internal static BlockLayout Layout(Shape[] parts, int axisAttr, int elementSize)
    {
        int rank = parts[0].Rank, axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
        int outer = 1;
        for (int d = 0; d < axis; d++) outer *= parts[0][d];
        var bytes = parts.Select(s => (long)s.Size / Math.Max(1, outer) * elementSize).ToArray();
        var offsets = new long[parts.Length];
        for (int i = 1; i < parts.Length; i++) offsets[i] = offsets[i - 1] + bytes[i - 1];
        return new BlockLayout(outer, bytes, offsets, bytes.Sum());
    }

    private static IKernel Concat(BlockLayout l) => new CpuKernel((i, o) =>
    {
        byte* y = o[0].Ptr<byte>();
        for (int n = 0; n < l.Outer; n++)
            for (int p = 0; p < l.Bytes.Length; p++)
                Buffer.MemoryCopy(i[p].Ptr<byte>() + n * l.Bytes[p], y + n * l.RowBytes + l.Offsets[p], l.Bytes[p], l.Bytes[p]);
    });

    // Inputs (dy, x0 .. xn−1): part `index` of each joined row of dy.
    private static IKernel Slice(BlockLayout l, int index) => new CpuKernel((i, o) =>
    {
        byte* dy = i[0].Ptr<byte>(), dx = o[0].Ptr<byte>();
        long bytes = l.Bytes[index];
        for (int n = 0; n < l.Outer; n++)
            Buffer.MemoryCopy(dy + n * l.RowBytes + l.Offsets[index], dx + n * bytes, bytes, bytes);
    });
}
