namespace Mnist.Reports;

/// <summary>
/// The t-SNE gradient in O(n log n) (van der Maaten 2014): dC/dy_i = 4 (F_attr,i − F_rep,i / Z). The attraction
/// Σ_j p_ij w_ij (y_i − y_j) runs over the sparse P only; the repulsion Σ_j w_ij² (y_i − y_j) and Z = Σ w_ij
/// are summed through a quadtree, a cell standing for all its points at their centre of mass once it is
/// small seen from y_i (side / distance &lt; theta). Theta 0 opens every cell: the exact sums.
/// Points are shared out to the worker threads whole, each summed in one fixed order: deterministic.
/// </summary>
internal sealed class TsneBarnesHutGradient
{
    private const int PointsPerTask = 64;

    private readonly SparseAffinities _p;
    private readonly float _theta;
    // Each point's repulsion and share of Z, kept until Z is known.
    private readonly float[] _z, _repulsion0, _repulsion1;

    public TsneBarnesHutGradient(SparseAffinities p, int n, double theta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(theta);
        // A cell holding y_i is at most √2·side from it, so theta below 1/√2 never lets such a cell
        // stand for its points, which would count y_i's repulsion of itself.
        if (theta >= 1 / Math.Sqrt(2)) throw new ArgumentOutOfRangeException(nameof(theta), theta, "Barnes-Hut theta must be below 1/√2");
        (_p, _theta) = (p, (float)theta);
        (_z, _repulsion0, _repulsion1) = (new float[n], new float[n], new float[n]);
    }

    public void Compute(float[] y0, float[] y1, float exaggeration, float[] g0, float[] g1)
    {
        int n = y0.Length;
        var tree = new TsneQuadTree(y0, y1);
        float theta2 = _theta * _theta;
        Parallel.For(0, (n + PointsPerTask - 1) / PointsPerTask, task =>
        {
            var stack = new int[TsneQuadTree.MaxStack];
            for (int i = task * PointsPerTask, end = Math.Min(n, i + PointsPerTask); i < end; i++)
            {
                var (repulsion0, repulsion1, z) = Repulsion(tree, stack, i, y0, y1, theta2);
                var (attraction0, attraction1) = Attraction(i, y0, y1);
                (g0[i], g1[i]) = ((float)(exaggeration * attraction0), (float)(exaggeration * attraction1));
                (_repulsion0[i], _repulsion1[i], _z[i]) = ((float)repulsion0, (float)repulsion1, (float)z);
            }
        });
        double totalZ = 0;
        for (int i = 0; i < n; i++) totalZ += _z[i];
        float inverseZ = (float)(1 / totalZ);
        for (int i = 0; i < n; i++)
        {
            g0[i] = 4 * (g0[i] - _repulsion0[i] * inverseZ);
            g1[i] = 4 * (g1[i] - _repulsion1[i] * inverseZ);
        }
    }

    private (double, double) Attraction(int i, float[] y0, float[] y1)
    {
        double f0 = 0, f1 = 0;
        for (int e = _p.RowStart[i]; e < _p.RowStart[i + 1]; e++)
        {
            int j = _p.Columns[e];
            float dx = y0[i] - y0[j], dy = y1[i] - y1[j];
            float pw = _p.Values[e] / (1 + dx * dx + dy * dy);
            f0 += pw * dx;
            f1 += pw * dy;
        }
        return (f0, f1);
    }

    /// <summary>Σ_{j≠i} w_ij² (y_i − y_j) and Σ_{j≠i} w_ij, depth first through the tree.</summary>
    private static (double, double, double) Repulsion(TsneQuadTree tree, int[] stack, int i, float[] y0, float[] y1, float theta2)
    {
        float x = y0[i], y = y1[i];
        var (firstChild, childCount, count, pointStart, points) = (tree.FirstChild, tree.ChildCount, tree.Count, tree.PointStart, tree.Points);
        var (centreX, centreY, sizes) = (tree.CentreX, tree.CentreY, tree.Size);
        double f0 = 0, f1 = 0, z = 0;
        int top = 0;
        stack[top++] = TsneQuadTree.Root;
        while (top > 0)
        {
            int node = stack[--top];
            int child = firstChild[node];
            if (child < 0)
            {
                for (int k = pointStart[node], end = k + count[node]; k < end; k++)
                {
                    int j = points[k];
                    if (j == i) continue;
                    float dx = x - y0[j], dy = y - y1[j];
                    float w = 1 / (1 + dx * dx + dy * dy);
                    (z, f0, f1) = (z + w, f0 + w * w * dx, f1 + w * w * dy);
                }
                continue;
            }
            float cx = x - centreX[node], cy = y - centreY[node], d2 = cx * cx + cy * cy;
            float size = sizes[node];
            if (size * size < theta2 * d2)
            {
                float w = 1 / (1 + d2), cw = count[node] * w;
                (z, f0, f1) = (z + cw, f0 + cw * w * cx, f1 + cw * w * cy);
                continue;
            }
            for (int c = child + childCount[node] - 1; c >= child; c--) stack[top++] = c;
        }
        return (f0, f1, z);
    }
}
