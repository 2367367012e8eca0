namespace Mnist.Reports;

/// <summary>
/// t-SNE's symmetric input affinities p_ij = (p_j|i + p_i|j) / 2n, where row i's conditional probabilities
/// p_j|i are a Gaussian around point i whose width is found by bisection so the row's perplexity is the
/// one asked for. Dense: every pair (exact t-SNE). Sparse: each row over its 3·perplexity nearest
/// neighbours only, the rest taken as zero (Barnes-Hut t-SNE, van der Maaten 2014, section 3).
/// </summary>
internal static class TsneAffinities
{
    /// <summary>All pairs, [n * n], each entry at least 1e-12 so no q_ij is pushed against a zero.</summary>
    public static float[] Dense(float[] x, int n, int m, double perplexity)
    {
        var conditional = new double[n * n];
        Parallel.For(0, n, i =>
        {
            var xi = x.AsSpan(i * m, m);
            var distances = new float[n - 1];
            for (int j = 0, k = 0; j < n; j++)
                if (j != i) distances[k++] = NearestNeighbours.SquaredDistance(xi, x.AsSpan(j * m, m));
            var row = new double[n - 1];
            CalibrateRow(distances, perplexity, row);
            for (int j = 0, k = 0; j < n; j++)
                if (j != i) conditional[i * n + j] = row[k++];
        });

        var p = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                p[i * n + j] = (float)Math.Max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
        return p;
    }

    /// <summary>Each row over its ⌊3·perplexity⌋ nearest neighbours (exact search), then symmetrised.</summary>
    public static SparseAffinities Sparse(float[] x, int n, int m, double perplexity)
    {
        int k = Math.Min(n - 1, (int)(3 * perplexity));
        var (neighbours, distances) = NearestNeighbours.Find(x, n, m, k);
        var conditional = new double[n * k];
        Parallel.For(0, n, i => CalibrateRow(distances.AsSpan(i * k, k), perplexity, conditional.AsSpan(i * k, k)));

        // Both (i, j, p_j|i) and (j, i, p_j|i), sorted by row then column: a pair that is in both
        // neighbour lists then sits side by side and is added once, as p_j|i + p_i|j.
        var entries = new (int Row, int Column, double Value)[2 * n * k];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++)
            {
                int j = neighbours[i * k + c];
                double value = conditional[i * k + c];
                entries[2 * (i * k + c)] = (i, j, value);
                entries[2 * (i * k + c) + 1] = (j, i, value);
            }
        Array.Sort(entries, (a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Column.CompareTo(b.Column));

        var rowStart = new int[n + 1];
        var columns = new List<int>(entries.Length);
        var values = new List<float>(entries.Length);
        for (int e = 0; e < entries.Length;)
        {
            var (row, column, sum) = entries[e++];
            while (e < entries.Length && entries[e].Row == row && entries[e].Column == column) sum += entries[e++].Value;
            columns.Add(column);
            values.Add((float)(sum / (2.0 * n)));
            rowStart[row + 1] = columns.Count;
        }
        // A row no entry names (impossible with k ≥ 1, kept exact for k = 0) starts where the previous one ended.
        for (int i = 1; i <= n; i++) rowStart[i] = Math.Max(rowStart[i], rowStart[i - 1]);
        return new SparseAffinities(rowStart, columns.ToArray(), values.ToArray());
    }

    /// <summary>
    /// p_j|i over the given squared distances from point i to its candidates (i itself left out), summing to 1:
    /// the Gaussian's precision beta is bisected until the row's entropy is log(perplexity).
    /// </summary>
    public static void CalibrateRow(ReadOnlySpan<float> distances, double perplexity, Span<double> probabilities)
    {
        if (distances.Length == 0) return;
        double targetEntropy = Math.Log(perplexity);
        // Shifting by the nearest distance changes neither the normalised row nor its entropy,
        // and keeps exp() from underflowing to zero for far-apart inputs.
        float nearest = float.MaxValue;
        foreach (float distance in distances) nearest = Math.Min(nearest, distance);

        double beta = 1, low = 0, high = double.PositiveInfinity, sum = 0;
        for (int step = 0; step < 100; step++)
        {
            double weighted = 0;
            sum = 0;
            for (int j = 0; j < distances.Length; j++)
            {
                double shifted = distances[j] - nearest;
                probabilities[j] = Math.Exp(-beta * shifted);
                sum += probabilities[j];
                weighted += shifted * probabilities[j];
            }
            double entropy = Math.Log(sum) + beta * weighted / sum;
            if (Math.Abs(entropy - targetEntropy) < 1e-5) break;
            // Too much entropy: the Gaussian is too wide, so sharpen it (raise beta); else widen it.
            if (entropy > targetEntropy) { low = beta; beta = double.IsPositiveInfinity(high) ? beta * 2 : (beta + high) / 2; }
            else { high = beta; beta = (beta + low) / 2; }
        }
        for (int j = 0; j < distances.Length; j++) probabilities[j] /= sum;
    }
}

/// <summary>A symmetric sparse P in compressed rows: row i's entries are Columns/Values[RowStart[i]..RowStart[i + 1]).</summary>
internal sealed record SparseAffinities(int[] RowStart, int[] Columns, float[] Values);
