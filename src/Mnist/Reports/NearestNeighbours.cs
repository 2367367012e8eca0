using System.Numerics;

namespace Mnist.Reports;

/// <summary>
/// Exact k nearest neighbours (squared Euclidean) by comparing every row with every other: for the few
/// thousand points a map holds this is cheaper than building a search tree, and exact. Rows are shared
/// out to the worker threads whole, so each row's answer is computed in one fixed order (deterministic).
/// </summary>
public static class NearestNeighbours
{
    /// <param name="rows">n rows of d values, [n * d].</param>
    /// <returns>For each row its k nearest other rows, nearest first (ties: lower index first), and their squared distances, both [n * k].</returns>
    public static (int[] Indices, float[] Distances) Find(ReadOnlySpan<float> rows, int n, int d, int k)
    {
        if (rows.Length != n * d) throw new ArgumentException($"rows has {rows.Length} values, expected {n}×{d}", nameof(rows));
        if (k < 0 || k > n - 1) throw new ArgumentOutOfRangeException(nameof(k), $"{k} neighbours asked of {n} rows");
        var data = rows.ToArray();
        var indices = new int[n * k];
        var distances = new float[n * k];
        Parallel.For(0, n, i =>
        {
            var a = data.AsSpan(i * d, d);
            var bestIndex = indices.AsSpan(i * k, k);
            var bestDistance = distances.AsSpan(i * k, k);
            int found = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                float distance = SquaredDistance(a, data.AsSpan(j * d, d));
                if (found == k && (k == 0 || distance >= bestDistance[k - 1])) continue;
                // Insertion into the sorted list: after any equal distance, so the lower index stays first.
                int at = found < k ? found++ : k - 1;
                while (at > 0 && bestDistance[at - 1] > distance)
                {
                    (bestDistance[at], bestIndex[at]) = (bestDistance[at - 1], bestIndex[at - 1]);
                    at--;
                }
                (bestDistance[at], bestIndex[at]) = (distance, j);
            }
        });
        return (indices, distances);
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
