using System.Numerics;

namespace Mnist.Reports;

/// <summary>
/// Exact k nearest neighbours (squared Euclidean) by comparing every row with every other: for the few
/// thousand points a map holds this is cheaper than building a search tree, and exact. Rows are shared
/// out to the worker threads in fixed blocks, each row's answer computed in one fixed order (deterministic).
/// </summary>
public static class NearestNeighbours
{
    private const int RowsPerBlock = 16;

    /// <param name="rows">n rows of d values, [n * d].</param>
    /// <returns>For each row its k nearest other rows, nearest first (ties: lower index first), and their squared distances, both [n * k].</returns>
    public static (int[] Indices, float[] Distances) Find(ReadOnlySpan<float> rows, int n, int d, int k)
    {
        if (rows.Length != n * d) throw new ArgumentException($"rows has {rows.Length} values, expected {n}×{d}", nameof(rows));
        if (k < 0 || k > n - 1) throw new ArgumentOutOfRangeException(nameof(k), $"{k} neighbours asked of {n} rows");
        var data = rows.ToArray();
        var indices = new int[n * k];
        var distances = new float[n * k];
        // Blocks of rows: each other row is read from memory once per block and compared with all of the
        // block's rows while it sits in cache, instead of once per row (5,000 rows of 784 floats are 15 MB).
        Parallel.For(0, (n + RowsPerBlock - 1) / RowsPerBlock, block =>
        {
            int first = block * RowsPerBlock, end = Math.Min(n, first + RowsPerBlock);
            var found = new int[end - first];
            for (int j = 0; j < n; j++)
            {
                var b = data.AsSpan(j * d, d);
                for (int i = first; i < end; i++)
                    if (j != i) Insert(indices.AsSpan(i * k, k), distances.AsSpan(i * k, k), ref found[i - first], j, SquaredDistance(data.AsSpan(i * d, d), b));
            }
        });
        return (indices, distances);
    }

    /// <summary>Adds row j at <paramref name="distance"/> to a row's sorted list of its nearest, if it is near enough.</summary>
    private static void Insert(Span<int> bestIndex, Span<float> bestDistance, ref int found, int j, float distance)
    {
        int k = bestIndex.Length;
        if (found == k && (k == 0 || distance >= bestDistance[k - 1])) return;
        // After any equal distance, so the lower index stays first.
        int at = found < k ? found++ : k - 1;
        while (at > 0 && bestDistance[at - 1] > distance)
        {
            (bestDistance[at], bestIndex[at]) = (bestDistance[at - 1], bestIndex[at - 1]);
            at--;
        }
        (bestDistance[at], bestIndex[at]) = (distance, j);
    }

    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        int c = 0;
        for (; c <= a.Length - Vector<float>.Count; c += Vector<float>.Count)
        {
            var diff = new Vector<float>(a[c..]) - new Vector<float>(b[c..]);
            sum += diff * diff;
        }
        float total = Vector.Sum(sum);
        for (; c < a.Length; c++) total += (a[c] - b[c]) * (a[c] - b[c]);
        return total;
    }
}
