namespace Flow.Backends.Cpu;

/// <summary>
/// How a packed MR-row strip of op(A) is laid out, as a compile-time choice the micro-kernels specialise on.
/// KBlock == 0: k-major, element (r, p) at p*MR + r — a straight copy when A is stored transposed [k,m].
/// KBlock == 16: blocks of 16 k per row, element (r, p) at (p/16)*MR*16 + r*16 + p%16 — a straight copy of
/// 16-float row pieces when A is stored [m,k], so packing never transposes.
/// Either way block p0 starts at p0*MR, and the kernels broadcast single elements, so both feed the same FMA.
/// </summary>
internal interface IPackedALayout
{
    static abstract int KBlock { get; }
}

internal struct KMajorA : IPackedALayout
{
    public static int KBlock => 0;
}

internal struct RowBlockedA : IPackedALayout
{
    public static int KBlock => 16;
}
