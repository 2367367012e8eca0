using System.Numerics;

namespace Mnist.Reports;

/// <summary>
/// Principal component projection, the usual step before t-SNE: it keeps the directions that carry
/// most of the variance and cuts the cost of the pairwise distances from 784 to ~50 per pair.
/// </summary>
public static class Pca
{
    /// <summary>Power iterations for the top-k subspace; t-SNE needs its span, not eigenvectors to many digits.</summary>
    private const int Iterations = 30;

    /// <summary>
    /// Centres the n rows of <paramref name="data"/> ([n * d]) and projects them onto the top
    /// <paramref name="k"/> principal directions, [n * k]; with k ≥ d only centres them.
    /// </summary>
    public static float[] Project(ReadOnlySpan<float> data, int n, int d, int k, int seed = 0)
    {
        if (data.Length != n * d) throw new ArgumentException($"data has {data.Length} values, expected {n}×{d}", nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        double[] centred = Centre(data, n, d);
        if (k >= d) return Array.ConvertAll(centred, v => (float)v);

        double[] basis = TopSubspace(Covariance(centred, n, d), d, k, seed);
        var projected = new float[n * k];
        for (int i = 0; i < n; i++)
        {
            var row = centred.AsSpan(i * d, d);
            for (int c = 0; c < k; c++) projected[i * k + c] = (float)Dot(row, basis.AsSpan(c * d, d));
        }
        return projected;
    }

    private static double[] Centre(ReadOnlySpan<float> data, int n, int d)
    {
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) mean[j] += data[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        var centred = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) centred[i * d + j] = data[i * d + j] - mean[j];
        return centred;
    }

    /// <summary>XᵀX of the centred rows, [d * d]; the 1/n factor changes no direction, so it is left out.</summary>
    private static double[] Covariance(double[] centred, int n, int d)
    {
        var cov = new double[d * d];
        for (int i = 0; i < n; i++)
        {
            var row = centred.AsSpan(i * d, d);
            // Upper triangle only, mirrored below: half the work of the full rank-one update.
            for (int a = 0; a < d; a++)
                if (row[a] != 0) AddScaled(cov.AsSpan(a * d + a, d - a), row[a], row[a..]);
        }
        for (int a = 0; a < d; a++)
            for (int b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
        return cov;
    }

    /// <summary>Block power iteration: k orthonormal vectors ([k * d]) spanning the top-k eigenspace of the covariance.</summary>
    private static double[] TopSubspace(double[] cov, int d, int k, int seed)
    {
        var random = new Random(seed);
        var basis = new double[k * d];
        for (int i = 0; i < basis.Length; i++) basis[i] = random.NextDouble() - 0.5;
        Orthonormalize(basis, d, k);
        var next = new double[k * d];
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            for (int c = 0; c < k; c++)
            {
                var v = basis.AsSpan(c * d, d);
                for (int a = 0; a < d; a++) next[c * d + a] = Dot(cov.AsSpan(a * d, d), v);
            }
            (basis, next) = (next, basis);
            Orthonormalize(basis, d, k);
        }
        return basis;
    }

    /// <summary>Modified Gram–Schmidt on the k rows of <paramref name="vectors"/>.</summary>
    private static void Orthonormalize(double[] vectors, int d, int k)
    {
        for (int c = 0; c < k; c++)
        {
            var v = vectors.AsSpan(c * d, d);
            for (int p = 0; p < c; p++)
            {
                var u = vectors.AsSpan(p * d, d);
                AddScaled(v, -Dot(v, u), u);
            }
            double norm = Math.Sqrt(Dot(v, v));
            // A vector that collapsed (rank-deficient data) is left at zero: it adds nothing to the projection.
            double scale = norm > 1e-12 ? 1 / norm : 0;
            for (int j = 0; j < d; j++) v[j] *= scale;
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = Vector<double>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
            sum += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
        double total = Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>y += alpha * x.</summary>
    private static void AddScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        int i = 0;
        for (; i <= y.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(y[i..]) + alpha * new Vector<double>(x[i..])).CopyTo(y[i..]);
        for (; i < y.Length; i++) y[i] += alpha * x[i];
    }
}
