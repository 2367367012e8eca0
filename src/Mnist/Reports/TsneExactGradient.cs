using System.Numerics;

namespace Mnist.Reports;

/// <summary>
/// The exact t-SNE gradient over a dense P, O(n²): dC/dy_i = 4 Σ_j (exaggeration·p_ij − q_ij)(y_i − y_j)/(1 + |y_i − y_j|²),
/// with q_ij = w_ij / Z and w_ij = 1/(1 + |y_i − y_j|²). The attractive and repulsive sums are gathered in one
/// pass; the repulsion is divided by Z (the sum of all w) once that pass has seen every pair.
/// </summary>
internal static class TsneExactGradient
{
    /// <param name="p">The symmetric affinities, [n * n].</param>
    public static void Compute(float[] p, float[] y0, float[] y1, float exaggeration, float[] g0, float[] g1)
    {
        int n = y0.Length, width = Vector<float>.Count;
        var repulsion0 = new float[n];
        var repulsion1 = new float[n];
        double z = 0;
        for (int i = 0; i < n; i++)
        {
            var pi = p.AsSpan(i * n, n);
            var (yi0, yi1) = (new Vector<float>(y0[i]), new Vector<float>(y1[i]));
            Vector<float> zs = Vector<float>.Zero, a0 = zs, a1 = zs, r0 = zs, r1 = zs;
            int j = 0;
            for (; j <= n - width; j += width)
            {
                var dx = yi0 - new Vector<float>(y0, j);
                var dy = yi1 - new Vector<float>(y1, j);
                var w = Vector<float>.One / (Vector<float>.One + dx * dx + dy * dy);
                var pw = new Vector<float>(pi[j..]) * w;
                var ww = w * w;
                zs += w;
                a0 += pw * dx; a1 += pw * dy;
                r0 += ww * dx; r1 += ww * dy;
            }
            float sz = Vector.Sum(zs), sa0 = Vector.Sum(a0), sa1 = Vector.Sum(a1), sr0 = Vector.Sum(r0), sr1 = Vector.Sum(r1);
            for (; j < n; j++)
            {
                float dx = y0[i] - y0[j], dy = y1[i] - y1[j];
                float w = 1 / (1 + dx * dx + dy * dy);
                sz += w;
                sa0 += pi[j] * w * dx; sa1 += pi[j] * w * dy;
                sr0 += w * w * dx; sr1 += w * w * dy;
            }
            // The pair (i, i) adds w = 1 to the sum but nothing to the forces (y_i − y_i = 0); it is taken out of Z below.
            z += sz;
            (g0[i], g1[i]) = (exaggeration * sa0, exaggeration * sa1);
            (repulsion0[i], repulsion1[i]) = (sr0, sr1);
        }
        float inverseZ = (float)(1 / (z - n));
        for (int i = 0; i < n; i++)
        {
            g0[i] = 4 * (g0[i] - repulsion0[i] * inverseZ);
            g1[i] = 4 * (g1[i] - repulsion1[i] * inverseZ);
        }
    }
}
