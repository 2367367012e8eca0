namespace Flow.Backends.Cpu;

/// <summary>Fills packed strips of op(A)[i0 .. i0+mc, k0 .. k0+kc] in <typeparamref name="TLayout"/> order, as <see cref="GemmPacking.PackA"/> does.</summary>
internal unsafe interface IAPacker<TLayout> where TLayout : struct, IPackedALayout
{
    void Pack(GemmIsa isa, int i0, int mc, int k0, int kc, int mr, float* dst);
}

/// <summary>Fills the packed panel of op(B)[k0 .. k0+kc, j0 .. j0+nc] as <see cref="GemmPacking.PackB"/> does.</summary>
internal unsafe interface IBPacker
{
    void Pack(GemmIsa isa, int k0, int kc, int j0, int nc, float* dst);

    /// <summary>Where op(B)[k0, j0] lies when op(B)'s rows can be read in place (row p at the result + p·ldb), else null.</summary>
    float* InPlace(int k0, int j0, out int ldb);
}

/// <summary>op(A) stored as a matrix (row stride lda; [k, m] for <see cref="KMajorA"/>).</summary>
internal readonly unsafe struct MatrixA<TLayout>(float* a, int lda) : IAPacker<TLayout> where TLayout : struct, IPackedALayout
{
    public void Pack(GemmIsa isa, int i0, int mc, int k0, int kc, int mr, float* dst) =>
        GemmPacking.PackA<TLayout>(isa, a, lda, i0, mc, k0, kc, mr, dst);
}

/// <summary>op(B) stored as a matrix, [k, n] with row stride ldb, or [n, k] when transposed.</summary>
internal readonly unsafe struct MatrixB(bool transB, float* b, int ldb) : IBPacker
{
    public void Pack(GemmIsa isa, int k0, int kc, int j0, int nc, float* dst) =>
        GemmPacking.PackB(isa, transB, b, ldb, k0, kc, j0, nc, dst);

    public float* InPlace(int k0, int j0, out int rowStride)
    {
        rowStride = ldb;
        return transB ? null : b + (long)k0 * ldb + j0;
    }
}
