namespace Mnist.Reports;

/// <summary>
/// t-SNE's descent, the same for the exact and the Barnes-Hut gradient: a small random start, early
/// exaggeration of P for the first 250 iterations, momentum 0.5 then 0.8, per-coordinate gains.
/// </summary>
internal static class TsneOptimizer
{
    private const float EarlyExaggeration = 12f;
    private const int ExaggerationIterations = 250;

    /// <summary>Writes dC/dy into (g0, g1) for the points (y0, y1), P multiplied by the exaggeration.</summary>
    public delegate void Gradient(float[] y0, float[] y1, float exaggeration, float[] g0, float[] g1);

    /// <returns>The embedding, n rows of (x, y), [n * 2].</returns>
    public static float[] Run(int n, TsneOptions options, Gradient gradientOf)
    {
        var random = new Random(options.Seed);
        // Structure of arrays: the gradients read all x, then all y.
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
            gradientOf(ys[0], ys[1], early ? EarlyExaggeration : 1f, gradient[0], gradient[1]);
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

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
