using Mnist.Reports;

namespace Mnist.Tests.Reports;

public sealed class TsneTests
{
    /// <summary>k clusters in d dimensions: centre c is 10 on axis c, points scatter around it with σ = 0.3.</summary>
    private static (float[] Data, int[] Labels) Clusters(int perCluster, int k, int d, int seed)
    {
        var random = new Random(seed);
        var data = new float[perCluster * k * d];
        var labels = new int[perCluster * k];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = i % k;
            for (int j = 0; j < d; j++)
                data[i * d + j] = (j == labels[i] ? 10f : 0f) + 0.3f * (float)(random.NextDouble() * 2 - 1);
        }
        return (data, labels);
    }

    /// <summary>Share of points whose nearest other point (in the n×dim layout) has the same label.</summary>
    private static double NearestNeighbourAgreement(float[] points, int dim, int[] labels)
    {
        int n = labels.Length, agree = 0;
        for (int i = 0; i < n; i++)
        {
            int nearest = -1;
            double best = double.MaxValue;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double dist = 0;
                for (int k = 0; k < dim; k++) dist += Math.Pow(points[i * dim + k] - points[j * dim + k], 2);
                if (dist < best) (best, nearest) = (dist, j);
            }
            if (labels[nearest] == labels[i]) agree++;
        }
        return (double)agree / n;
    }

    [Theory]
    [InlineData(TsneMethod.Exact)]
    [InlineData(TsneMethod.BarnesHut)]
    public void SeparatedClustersStaySeparatedThroughPcaAndTsne(TsneMethod method)
    {
        // 100 dimensions: wider than the 50 PCA keeps, so the PCA step runs too.
        var (data, labels) = Clusters(perCluster: 30, k: 10, d: 100, seed: 1);

        var embedding = Tsne.Embed(data, labels.Length, 100, new TsneOptions { Seed = 3, Iterations = 500, Method = method });

        Assert.Equal(2 * labels.Length, embedding.Length);
        Assert.All(embedding, v => Assert.True(float.IsFinite(v)));
        Assert.True(NearestNeighbourAgreement(embedding, 2, labels) > 0.95);

        // Clusters end apart: each cluster's spread is well below the distance between cluster centres.
        var centres = Enumerable.Range(0, 10).Select(c =>
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            return (X: members.Average(i => embedding[2 * i]), Y: members.Average(i => embedding[2 * i + 1]));
        }).ToArray();
        double spread = Enumerable.Range(0, labels.Length).Average(i =>
            Math.Sqrt(Math.Pow(embedding[2 * i] - centres[labels[i]].X, 2) + Math.Pow(embedding[2 * i + 1] - centres[labels[i]].Y, 2)));
        double closest = centres.SelectMany((a, i) => centres.Skip(i + 1).Select(b => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)))).Min();
        Assert.True(closest > 2 * spread, $"closest centres {closest:F2} apart, mean spread {spread:F2}");
    }

    [Theory]
    [InlineData(TsneMethod.Exact)]
    [InlineData(TsneMethod.BarnesHut)]
    public void SameSeedGivesTheSameMap(TsneMethod method)
    {
        var (data, labels) = Clusters(perCluster: 10, k: 4, d: 8, seed: 2);
        var options = new TsneOptions { Seed = 7, Iterations = 100, Perplexity = 5, Method = method };
        Assert.Equal(Tsne.Embed(data, labels.Length, 8, options), Tsne.Embed(data, labels.Length, 8, options));
        Assert.NotEqual(Tsne.Embed(data, labels.Length, 8, options), Tsne.Embed(data, labels.Length, 8, options with { Seed = 8 }));
    }

    [Fact]
    public void BarnesHutIsChosenAboveTheExactLimit()
    {
        Assert.Equal(TsneMethod.Exact, Tsne.MethodFor(Tsne.ExactUpTo, new TsneOptions()));
        Assert.Equal(TsneMethod.BarnesHut, Tsne.MethodFor(Tsne.ExactUpTo + 1, new TsneOptions()));
        Assert.Equal(TsneMethod.Exact, Tsne.MethodFor(5000, new TsneOptions { Method = TsneMethod.Exact }));
    }

    [Fact]
    public void PcaKeepsTheDirectionsOfLargestVariance()
    {
        // Points vary by ±5 along (1, 1, 0, 0)/√2, by ±1 along axis 2 and not at all along axis 3.
        var random = new Random(4);
        int n = 200;
        var data = new float[n * 4];
        for (int i = 0; i < n; i++)
        {
            float a = (float)(random.NextDouble() * 10 - 5), b = (float)(random.NextDouble() * 2 - 1);
            (data[i * 4], data[i * 4 + 1], data[i * 4 + 2], data[i * 4 + 3]) = (a / MathF.Sqrt(2) + 3, a / MathF.Sqrt(2) + 3, b, 7);
        }

        var projected = Pca.Project(data, n, 4, 2);

        // Two components keep every distance: the data lie in a plane.
        for (int i = 1; i < n; i++)
        {
            double original = Math.Sqrt(Enumerable.Range(0, 4).Sum(k => Math.Pow(data[i * 4 + k] - data[k], 2)));
            double kept = Math.Sqrt(Enumerable.Range(0, 2).Sum(k => Math.Pow(projected[i * 2 + k] - projected[k], 2)));
            Assert.Equal(original, kept, 3);
        }
    }
}
