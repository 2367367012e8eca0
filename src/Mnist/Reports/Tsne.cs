using System.Numerics;

namespace Mnist.Reports;

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
}

/// <summary>
/// Exact t-SNE (van der Maaten and Hinton 2008) to two dimensions, as the Embedding Projector draws
/// MNIST. O(n²) time and memory per iteration, fine for the few thousand points a picture holds
/// (2000 points: 16 MB of affinities, seconds of run time). Deterministic for a seed on one machine.
/// </summary>
public static class Tsne
{
    private const float EarlyExaggeration = 12f;
    private const int ExaggerationIterations = 250;

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
        double perplexity = Math.Min(options.Perplexity, (n - 1) / 3.0);
        float[] p = Affinities(SquaredDistances(x, n, m), n, Math.Max(perplexity, 1.0));
        return Optimize(p, n, options);
    }

    private static float[] SquaredDistances(float[] x, int n, int m)
    {
        var distances = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            var xi = x.AsSpan(i * m, m);
            for (int j = i + 1; j < n; j++)
            {
                var xj = x.AsSpan(j * m, m);
                float sum = 0;
                for (int k = 0; k < m; k++) sum += (xi[k] - xj[k]) * (xi[k] - xj[k]);
                distances[i * n + j] = distances[j * n + i] = sum;
            }
        }
        return distances;
    }

    /// <summary>
    /// The symmetric input affinities P, [n * n]: each row's Gaussian width is found by bisection so
    /// the row's perplexity is the one asked for, then p_ij = (p_j|i + p_i|j) / 2n.
    /// </summary>
    private static float[] Affinities(float[] distances, int n, double perplexity)
    {
        double targetEntropy = Math.Log(perplexity);
        var conditional = new double[n * n];
        var row = new double[n];
        for (int i = 0; i < n; i++)
        {
            var di = distances.AsSpan(i * n, n);
            // Shifting by the nearest distance changes neither the normalised row nor its entropy,
            // and keeps exp() from underflowing to zero for far-apart inputs.
            float nearest = float.MaxValue;
            for (int j = 0; j < n; j++) if (j != i) nearest = Math.Min(nearest, di[j]);

            double beta = 1, low = 0, high = double.PositiveInfinity;
            for (int step = 0; step < 100; step++)
            {
                double sum = 0, weighted = 0;
                for (int j = 0; j < n; j++)
                {
                    double shifted = di[j] - nearest;
                    row[j] = j == i ? 0 : Math.Exp(-beta * shifted);
                    sum += row[j];
                    weighted += shifted * row[j];
                }
                double entropy = Math.Log(sum) + beta * weighted / sum;
                if (Math.Abs(entropy - targetEntropy) < 1e-5) break;
                // Too much entropy: the Gaussian is too wide, so sharpen it (raise beta); else widen it.
                if (entropy > targetEntropy) { low = beta; beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2; }
                else { high = beta; beta = (beta + low) / 2; }
            }
            double total = row.Sum();
            for (int j = 0; j < n; j++) conditional[i * n + j] = row[j] / total;
        }

        var p = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                p[i * n + j] = (float)Math.Max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
        return p;
    }

    /// <summary>Gradient descent with momentum and per-coordinate gains, early exaggeration first.</summary>
    private static float[] Optimize(float[] p, int n, TsneOptions options)
    {
        var random = new Random(options.Seed);
        // Structure of arrays: the gradient's inner loop reads all x, then all y, a vector at a time.
        var ys = new float[2][] { new float[n], new float[n] };
        foreach (var axis in ys)
            for (int i = 0; i < n; i++) axis[i] = (float)(1e-4 * Gaussian(random));
        var gradient = new float[2][] { new float[n], new float[n] };
        var update = new float[2][] { new float[n], new float[n] };
        var gains = new float[2][] { Enumerable.Repeat(1f, n).ToArray(), Enumerable.Repeat(1f, n).ToArray() };
        float learningRate = (float)(options.LearningRate ?? Math.Max(n / EarlyExaggeration / 4, 50));

        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            bool early = iteration < ExaggerationIterations;
            Gradient(p, ys[0], ys[1], early ? EarlyExaggeration : 1f, gradient[0], gradient[1]);
            float momentum = early ? 0.5f : 0.8f;
            for (int axis = 0; axis < 2; axis++)
            {
                var (y, g, u, gain) = (ys[axis], gradient[axis], update[axis], gains[axis]);
                float mean = 0;
                for (int i = 0; i < n; i++)
                {
                    // Grow the step where the gradient keeps pointing the same way as the last update, shrink it where it flips.
                    gain[i] = Math.Sign(g[i]) != Math.Sign(u[i]) ? gain[i] + 0.2f : Math.Max(gain[i] * 0.8f, 0.01f);
                    u[i] = momentum * u[i] - learningRate * gain[i] * g[i];
                    y[i] += u[i];
                    mean += y[i];
                }
                mean /= n;
                for (int i = 0; i < n; i++) y[i] -= mean;
            }
        }

        var embedding = new float[2 * n];
        for (int i = 0; i < n; i++) (embedding[2 * i], embedding[2 * i + 1]) = (ys[0][i], ys[1][i]);
        return embedding;
    }

    /// <summary>
    /// dC/dy_i = 4 Σ_j (exaggeration·p_ij − q_ij)(y_i − y_j)/(1 + |y_i − y_j|²), with q_ij = w_ij / Z and
    /// w_ij = 1/(1 + |y_i − y_j|²). The attractive and repulsive sums are gathered in one pass; the
    /// repulsion is divided by Z (the sum of all w) once that pass has seen every pair.
    /// </summary>
    private static void Gradient(float[] p, float[] y0, float[] y1, float exaggeration, float[] g0, float[] g1)
    {
        int n = y0.Length, width = Vector<float>.Count;
        var repulsion0 = new float[n];
        var repulsion1 = new float[n];
        double z = 0;
        for (int i = 0; i < n; i++)
        {
            var pi = p.AsSpan(i * n, n);
            var (yi0, yi1) = (new Vector<float>(y0[i]), new Vector<float>(y1[i]));
            Vector<float> zs = Vector<float>.Zero, a0 = zs, a1 = zs, r0 = zs, r1 = zs;
            int j = 0;
            for (; j <= n - width; j += width)
            {
                var dx = yi0 - new Vector<float>(y0, j);
                var dy = yi1 - new Vector<float>(y1, j);
                var w = Vector<float>.One / (Vector<float>.One + dx * dx + dy * dy);
                var pw = new Vector<float>(pi[j..]) * w;
                var ww = w * w;
                zs += w;
                a0 += pw * dx; a1 += pw * dy;
                r0 += ww * dx; r1 += ww * dy;
            }
            float sz = Vector.Sum(zs), sa0 = Vector.Sum(a0), sa1 = Vector.Sum(a1), sr0 = Vector.Sum(r0), sr1 = Vector.Sum(r1);
            for (; j < n; j++)
            {
                float dx = y0[i] - y0[j], dy = y1[i] - y1[j];
                float w = 1 / (1 + dx * dx + dy * dy);
                sz += w;
                sa0 += pi[j] * w * dx; sa1 += pi[j] * w * dy;
                sr0 += w * w * dx; sr1 += w * w * dy;
            }
            // The pair (i, i) adds w = 1 to the sum but nothing to the forces (y_i − y_i = 0); it is taken out of Z below.
            z += sz;
            (g0[i], g1[i]) = (exaggeration * sa0, exaggeration * sa1);
            (repulsion0[i], repulsion1[i]) = (sr0, sr1);
        }
        float inverseZ = (float)(1 / (z - n));
        for (int i = 0; i < n; i++)
        {
            g0[i] = 4 * (g0[i] - repulsion0[i] * inverseZ);
            g1[i] = 4 * (g1[i] - repulsion1[i] * inverseZ);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
