using Mnist.Reports;

namespace Mnist.Tests.Reports;

/// <summary>t-SNE refuses non-finite input by name instead of failing in Math.Sign (issue 18, item 5).</summary>
public class TsneInputTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteInputIsRefusedNamingThePoint(float poison)
    {
        var data = new float[6 * 3];
        for (int i = 0; i < data.Length; i++) data[i] = i % 7;
        data[4 * 3 + 1] = poison;
        var e = Assert.Throws<ArgumentException>(() => Tsne.Embed(data, 6, 3, new TsneOptions { Iterations = 10 }));
        Assert.Contains("t-SNE input point 4 holds a NaN or infinite value", e.Message);
    }
}
