namespace Flow;

/// <summary>
/// The xoshiro256** generator as a value: a kernel copies it into a local, where the JIT keeps its four words in
/// registers, draws a whole tensor, and stores it back. Through the <see cref="RandomStream"/> object the words are
/// reloaded and stored at every draw, since the kernel's stores through pointers might alias them.
/// </summary>
internal struct Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3)
{
    private ulong _s0 = s0, _s1 = s1, _s2 = s2, _s3 = s3;

    public readonly RandomStreamState State => new(_s0, _s1, _s2, _s3);

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
