namespace Mnist.Reports;

/// <summary>How <see cref="Tsne.Embed"/> computes the gradient.</summary>
public enum TsneMethod
{
    /// <summary>Exact up to <see cref="Tsne.ExactUpTo"/> points, Barnes-Hut above.</summary>
    Auto,
    /// <summary>Every pair, O(n²) time and memory per iteration (van der Maaten and Hinton 2008).</summary>
    Exact,
    /// <summary>Sparse P and a quadtree, O(n log n) per iteration (van der Maaten 2014).</summary>
    BarnesHut,
}

/// <summary>Settings of <see cref="Tsne.Embed"/>; the defaults are those of van der Maaten's reference code and scikit-learn.</summary>
public sealed record TsneOptions
{
    public double Perplexity { get; init; } = 30;
    public int Iterations { get; init; } = 1000;
    /// <summary>Inputs wider than this are first reduced by <see cref="Pca"/>.</summary>
    public int PcaDimensions { get; init; } = 50;
    public int Seed { get; init; }
    /// <summary>Null picks scikit-learn's "auto": max(n / exaggeration / 4, 50).</summary>
    public double? LearningRate { get; init; }
    public TsneMethod Method { get; init; } = TsneMethod.Auto;
    /// <summary>Barnes-Hut's accuracy: a quadtree cell stands for its points once its side / distance is below this (0: exact sums).</summary>
    public double Theta { get; init; } = 0.5;
}

/// <summary>
/// t-SNE to two dimensions, as the Embedding Projector draws MNIST: PCA to 50 dimensions, input affinities
/// calibrated to the perplexity, then gradient descent on the map. Small inputs get exact t-SNE; larger ones
/// Barnes-Hut t-SNE, whose cost per iteration grows as n log n instead of n². Deterministic for a seed on one machine.
/// </summary>
public static class Tsne
{
    /// <summary>
    /// Below this the exact gradient is both affordable (1,000 points: 4 MB of affinities) and the reference;
    /// above it the O(n²) iterations cost minutes where Barnes-Hut takes seconds.
    /// </summary>
    public const int ExactUpTo = 1000;

    /// <summary>The method <see cref="Embed"/> uses for <paramref name="n"/> points: the one place the choice is made.</summary>
    public static TsneMethod MethodFor(int n, TsneOptions options) =>
        options.Method != TsneMethod.Auto ? options.Method : n <= ExactUpTo ? TsneMethod.Exact : TsneMethod.BarnesHut;

    /// <param name="data">n rows of d values, [n * d].</param>
    /// <returns>The embedding, n rows of (x, y), [n * 2].</returns>
    public static float[] Embed(ReadOnlySpan<float> data, int n, int d, TsneOptions? options = null)
    {
        options ??= new TsneOptions();
        if (data.Length != n * d) throw new ArgumentException($"data has {data.Length} values, expected {n}×{d}", nameof(data));
        // A NaN or infinity would spread through every distance and end in Math.Sign's ArithmeticException.
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i])) throw new ArgumentException($"t-SNE input point {i / d} holds a NaN or infinite value; nothing to map");
        if (n < 2) return new float[2 * n];
        float[] x = d > options.PcaDimensions ? Pca.Project(data, n, d, options.PcaDimensions, options.Seed) : data.ToArray();
        int m = Math.Min(d, options.PcaDimensions);

        // More neighbours than there are points cannot be asked for.
        double perplexity = Math.Max(Math.Min(options.Perplexity, (n - 1) / 3.0), 1.0);
        if (MethodFor(n, options) == TsneMethod.Exact)
        {
            float[] p = TsneAffinities.Dense(x, n, m, perplexity);
            return TsneOptimizer.Run(n, options, (y0, y1, exaggeration, g0, g1) => TsneExactGradient.Compute(p, y0, y1, exaggeration, g0, g1));
        }
        var barnesHut = new TsneBarnesHutGradient(TsneAffinities.Sparse(x, n, m, perplexity), n, options.Theta);
        return TsneOptimizer.Run(n, options, barnesHut.Compute);
    }
}
