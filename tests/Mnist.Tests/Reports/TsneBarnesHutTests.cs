using Mnist.Reports;

namespace Mnist.Tests.Reports;

/// <summary>Barnes-Hut t-SNE against the exact version it replaces above <see cref="Tsne.ExactUpTo"/> points.</summary>
public sealed class TsneBarnesHutTests
{
    /// <summary>A random symmetric P over n points (summing to 1) and a map spread as t-SNE's are after early exaggeration.</summary>
    private static (float[] P, float[] Y0, float[] Y1) RandomProblem(int n, int seed, int duplicates = 0)
    {
        var random = new Random(seed);
        var p = new float[n * n];
        double total = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                // Mostly small, a few large entries, as a neighbourhood P is.
                double v = random.NextDouble() < 0.05 ? random.NextDouble() : 1e-3 * random.NextDouble();
                p[i * n + j] = p[j * n + i] = (float)v;
                total += 2 * v;
            }
        for (int i = 0; i < p.Length; i++) p[i] = (float)(p[i] / total);
        var y0 = new float[n];
        var y1 = new float[n];
        for (int i = 0; i < n; i++) (y0[i], y1[i]) = ((float)(random.NextDouble() * 40 - 20), (float)(random.NextDouble() * 40 - 20));
        // Coincident points (a digit drawn twice) must not send the tree splitting for ever.
        for (int i = 0; i < duplicates; i++) (y0[n - 1 - i], y1[n - 1 - i]) = (y0[i], y1[i]);
        return (p, y0, y1);
    }

    private static SparseAffinities SparseOf(float[] p, int n)
    {
        var rowStart = new int[n + 1];
        var columns = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                if (j != i) { columns.Add(j); values.Add(p[i * n + j]); }
            rowStart[i + 1] = columns.Count;
        }
        return new SparseAffinities(rowStart, columns.ToArray(), values.ToArray());
    }

    private static (float[] G0, float[] G1) Exact(float[] p, float[] y0, float[] y1, float exaggeration)
    {
        var (g0, g1) = (new float[y0.Length], new float[y0.Length]);
        TsneExactGradient.Compute(p, y0, y1, exaggeration, g0, g1);
        return (g0, g1);
    }

    private static (float[] G0, float[] G1) BarnesHut(float[] p, float[] y0, float[] y1, float exaggeration, double theta)
    {
        var (g0, g1) = (new float[y0.Length], new float[y0.Length]);
        new TsneBarnesHutGradient(SparseOf(p, y0.Length), y0.Length, theta).Compute(y0, y1, exaggeration, g0, g1);
        return (g0, g1);
    }

    /// <summary>|a − b| / |b| over all coordinates.</summary>
    private static double RelativeError((float[] G0, float[] G1) a, (float[] G0, float[] G1) b)
    {
        double difference = 0, norm = 0;
        for (int i = 0; i < a.G0.Length; i++)
        {
            difference += Math.Pow(a.G0[i] - b.G0[i], 2) + Math.Pow(a.G1[i] - b.G1[i], 2);
            norm += Math.Pow(b.G0[i], 2) + Math.Pow(b.G1[i], 2);
        }
        return Math.Sqrt(difference / norm);
    }

    [Theory]
    [InlineData(300, 1, 0, 1f)]
    [InlineData(300, 2, 5, 12f)]
    [InlineData(7, 3, 2, 1f)]
    public void ThetaZeroGivesTheExactGradient(int n, int seed, int duplicates, float exaggeration)
    {
        var (p, y0, y1) = RandomProblem(n, seed, duplicates);
        var exact = Exact(p, y0, y1, exaggeration);
        var barnesHut = BarnesHut(p, y0, y1, exaggeration, theta: 0);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(exact.G0[i], barnesHut.G0[i], 1e-4 * Math.Abs(exact.G0[i]) + 1e-9);
            Assert.Equal(exact.G1[i], barnesHut.G1[i], 1e-4 * Math.Abs(exact.G1[i]) + 1e-9);
        }
    }

    [Fact]
    public void ThetaHalfIsCloseToTheExactGradient()
    {
        var (p, y0, y1) = RandomProblem(300, 4);
        var exact = Exact(p, y0, y1, 1f);
        double error = RelativeError(BarnesHut(p, y0, y1, 1f, theta: 0.5), exact);
        Assert.True(error < 0.02, $"Barnes-Hut gradient with theta 0.5 is {error:P2} off the exact one");
        // And theta does something: the summary cells change the answer, so this test could fail.
        Assert.True(error > 1e-6, $"theta 0.5 gave the exact gradient ({error:E1} off): no cell was summarised");
    }

    [Fact]
    public void ThetaFromOneOverRootTwoIsRefused()
    {
        var p = SparseOf(new float[4], 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TsneBarnesHutGradient(p, 2, 0.75));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TsneBarnesHutGradient(p, 2, -0.1));
    }

    [Fact]
    public void SparseAffinitiesOverAllNeighboursAreTheDenseOnes()
    {
        // 40 points, perplexity 13: 3·13 = 39 neighbours is every other point, so nothing is left out.
        var random = new Random(5);
        int n = 40, m = 6;
        var x = Enumerable.Range(0, n * m).Select(_ => (float)random.NextDouble() * 3).ToArray();
        var dense = TsneAffinities.Dense(x, n, m, 13);
        var sparse = TsneAffinities.Sparse(x, n, m, 13);
        Assert.Equal(n * (n - 1), sparse.Values.Length);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(Enumerable.Range(0, n).Where(j => j != i), sparse.Columns[sparse.RowStart[i]..sparse.RowStart[i + 1]]);
            for (int e = sparse.RowStart[i]; e < sparse.RowStart[i + 1]; e++)
                Assert.Equal(dense[i * n + sparse.Columns[e]], sparse.Values[e], 1e-6 * dense[i * n + sparse.Columns[e]]);
        }
    }

    [Fact]
    public void SparseAffinitiesAreSymmetricAndSumToOne()
    {
        var random = new Random(6);
        int n = 200, m = 5;
        var x = Enumerable.Range(0, n * m).Select(_ => (float)random.NextDouble()).ToArray();
        var p = TsneAffinities.Sparse(x, n, m, perplexity: 5);
        var entries = new Dictionary<(int, int), float>();
        for (int i = 0; i < n; i++)
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) entries[(i, p.Columns[e])] = p.Values[e];
        foreach (var ((i, j), v) in entries) Assert.Equal(v, entries[(j, i)]);
        Assert.Equal(1.0, p.Values.Sum(v => (double)v), 4);
        // Each row holds its 15 neighbours and those that chose it: no fewer than 15 entries, far fewer than n.
        Assert.All(Enumerable.Range(0, n), i => Assert.InRange(p.RowStart[i + 1] - p.RowStart[i], 15, n / 2));
    }

    [Fact]
    public void QuadTreeCellsHoldTheirPointsAndTheirCentreOfMass()
    {
        var (_, y0, y1) = RandomProblem(500, 7, duplicates: 3);
        var tree = new TsneQuadTree(y0, y1);
        Assert.Equal(Enumerable.Range(0, 500), tree.Points.Order());
        var stack = new Stack<int>([TsneQuadTree.Root]);
        while (stack.TryPop(out int node))
        {
            var points = tree.Points.AsSpan(tree.PointStart[node], tree.Count[node]).ToArray();
            Assert.Equal(points.Average(j => (double)y0[j]), tree.CentreX[node], 1e-3);
            Assert.Equal(points.Average(j => (double)y1[j]), tree.CentreY[node], 1e-3);
            if (tree.FirstChild[node] < 0)
            {
                // A leaf holds one point, or several at the same place.
                Assert.All(points, j => Assert.True(y0[j] == y0[points[0]] && y1[j] == y1[points[0]]));
                continue;
            }
            int sum = 0;
            for (int c = tree.FirstChild[node]; c < tree.FirstChild[node] + tree.ChildCount[node]; c++)
            {
                Assert.Equal(tree.Size[node] / 2, tree.Size[c]);
                sum += tree.Count[c];
                stack.Push(c);
            }
            Assert.Equal(tree.Count[node], sum);
        }
    }
}
