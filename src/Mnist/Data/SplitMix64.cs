namespace Mnist.Data;

/// <summary>
/// SplitMix64 generator. Our own so that shuffles depend only on the seed, never on the
/// System.Random implementation of the running .NET version.
/// </summary>
internal sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The generator's whole state (checkpoints save and restore it).</summary>
    public ulong State { get => _state; set => _state = value; }

    /// <summary>The generator's step: adds the golden-ratio increment to the state and mixes it.</summary>
    public ulong NextUInt64() => Mix(_state += Increment);

    /// <summary>The golden-ratio increment between successive states.</summary>
    public const ulong Increment = 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// SplitMix64's output function alone: a bijective 64-bit mix. Counter-based streams (a value drawn from a
    /// key, with no state to save) hash their keys with it.
    /// </summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, bound), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        ulong range = (ulong)bound;
        UInt128 product = (UInt128)NextUInt64() * range;
        if ((ulong)product < range)
        {
            ulong threshold = (0UL - range) % range;
            while ((ulong)product < threshold) product = (UInt128)NextUInt64() * range;
        }
        return (int)(ulong)(product >> 64);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
