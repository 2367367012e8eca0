namespace Flow;

/// <summary>The four words of a <see cref="RandomStream"/>'s xoshiro256** state.</summary>
public readonly record struct RandomStreamState(ulong S0, ulong S1, ulong S2, ulong S3);

/// <summary>
/// A seeded stream of random numbers (xoshiro256** seeded by SplitMix64), kept per random op in a
/// session so every run draws new values, deterministically for a seed.
/// </summary>
public sealed class RandomStream
{
    private Xoshiro256StarStar _generator;

    public RandomStream(long seed)
    {
        ulong x = (ulong)seed;
        ulong s0 = SplitMix(ref x), s1 = SplitMix(ref x), s2 = SplitMix(ref x), s3 = SplitMix(ref x);
        _generator = new Xoshiro256StarStar(s0, s1, s2, s3);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The generator's whole state: saved with a checkpoint, set back to resume the same draws.</summary>
    public RandomStreamState State
    {
        get => _generator.State;
        set
        {
            if ((value.S0 | value.S1 | value.S2 | value.S3) == 0)
                throw new ArgumentException("an all-zero xoshiro256** state never leaves zero");
            _generator = new Xoshiro256StarStar(value.S0, value.S1, value.S2, value.S3);
        }
    }

    /// <summary>The generator itself, for a kernel that draws many values from a local copy and stores it back.</summary>
    internal Xoshiro256StarStar Generator
    {
        get => _generator;
        set => _generator = value;
    }

    public ulong NextUInt64() => _generator.NextUInt64();

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => _generator.NextDouble();

    /// <summary>Standard normal (Box–Muller; the second value of each pair is discarded for simplicity of state).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Standard normal redrawn until within two standard deviations (TF's truncated normal).</summary>
    public double NextTruncatedNormal()
    {
        while (true)
        {
            double v = NextNormal();
            if (Math.Abs(v) <= 2.0) return v;
        }
    }
}
