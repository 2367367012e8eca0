using Mnist.Reports;

namespace Mnist.Tests.Reports;

public sealed class NearestNeighboursTests
{
    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(9, 7, 8)]
    [InlineData(50, 17, 0)]
    [InlineData(120, 50, 30)]
    [InlineData(64, 784, 8)]
    public void FindMatchesSortingEveryDistance(int n, int d, int k)
    {
        var random = new Random(n * 31 + d);
        // Values on a coarse grid, so some distances tie and the lower index must come first.
        var rows = Enumerable.Range(0, n * d).Select(_ => (float)random.Next(4)).ToArray();
        var (indices, distances) = NearestNeighbours.Find(rows, n, d, k);
        for (int i = 0; i < n; i++)
        {
            var expected = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (Distance: Enumerable.Range(0, d).Sum(c => Math.Pow(rows[i * d + c] - rows[j * d + c], 2)), Index: j))
                .OrderBy(t => t.Distance).ThenBy(t => t.Index).Take(k).ToArray();
            Assert.Equal(expected.Select(t => t.Index), indices[(i * k)..((i + 1) * k)]);
            Assert.Equal(expected.Select(t => (float)t.Distance), distances[(i * k)..((i + 1) * k)]);
        }
    }

    [Fact]
    public void MoreNeighboursThanOtherRowsAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbours.Find(new float[6], 3, 2, 3));
}
