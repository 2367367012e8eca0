using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace Flow.Backends.Cpu;

/// <summary>
/// Measures the processor's fused multiply-add peak: independent FMA chains on the widest vectors,
/// enough of them to hide the FMA latency, on every worker of a pool at once. The yardstick for
/// "percent of peak" in the bench.
/// </summary>
public static class FmaPeak
{
    /// <returns>Single-precision GFLOP/s (an FMA counts as two FLOPs) over all the pool's threads.</returns>
    public static double Measure(WorkerPool pool, double seconds = 0.3)
    {
        long iterations = 1 << 20;
        // Grow the loop until one pass takes a measurable time, then time a pass on every worker.
        while (Time(pool, iterations) < seconds / 4 && iterations < (1L << 34)) iterations *= 2;
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++) best = Math.Min(best, Time(pool, iterations));
        double lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;
        return pool.Threads * iterations * Chains * lanes * 2 / best / 1e9;
    }

    private const int Chains = 12;

    private static double Time(WorkerPool pool, long iterations)
    {
        var clock = Stopwatch.StartNew();
        pool.For(pool.Threads, _ => Sink = Vector512.IsHardwareAccelerated ? Run512(iterations) : Run256(iterations));
        return clock.Elapsed.TotalSeconds;
    }

    // Written to so the JIT cannot drop the loops.
    private static float Sink;

    // The two widths are spelled out: ISimdVector, which would let one generic loop serve both, is internal.
    private static float Run512(long n)
    {
        Vector512<float> m = Vector512.Create(0.999999f), a = Vector512.Create(1e-7f);
        Vector512<float> x0 = a, x1 = a, x2 = a, x3 = a, x4 = a, x5 = a, x6 = a, x7 = a, x8 = a, x9 = a, x10 = a, x11 = a;
        for (long i = 0; i < n; i++)
        {
            x0 = Vector512.FusedMultiplyAdd(x0, m, a); x1 = Vector512.FusedMultiplyAdd(x1, m, a); x2 = Vector512.FusedMultiplyAdd(x2, m, a);
            x3 = Vector512.FusedMultiplyAdd(x3, m, a); x4 = Vector512.FusedMultiplyAdd(x4, m, a); x5 = Vector512.FusedMultiplyAdd(x5, m, a);
            x6 = Vector512.FusedMultiplyAdd(x6, m, a); x7 = Vector512.FusedMultiplyAdd(x7, m, a); x8 = Vector512.FusedMultiplyAdd(x8, m, a);
            x9 = Vector512.FusedMultiplyAdd(x9, m, a); x10 = Vector512.FusedMultiplyAdd(x10, m, a); x11 = Vector512.FusedMultiplyAdd(x11, m, a);
        }
        return Vector512.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }

    private static float Run256(long n)
    {
        Vector256<float> m = Vector256.Create(0.999999f), a = Vector256.Create(1e-7f);
        Vector256<float> x0 = a, x1 = a, x2 = a, x3 = a, x4 = a, x5 = a, x6 = a, x7 = a, x8 = a, x9 = a, x10 = a, x11 = a;
        for (long i = 0; i < n; i++)
        {
            x0 = Vector256.FusedMultiplyAdd(x0, m, a); x1 = Vector256.FusedMultiplyAdd(x1, m, a); x2 = Vector256.FusedMultiplyAdd(x2, m, a);
            x3 = Vector256.FusedMultiplyAdd(x3, m, a); x4 = Vector256.FusedMultiplyAdd(x4, m, a); x5 = Vector256.FusedMultiplyAdd(x5, m, a);
            x6 = Vector256.FusedMultiplyAdd(x6, m, a); x7 = Vector256.FusedMultiplyAdd(x7, m, a); x8 = Vector256.FusedMultiplyAdd(x8, m, a);
            x9 = Vector256.FusedMultiplyAdd(x9, m, a); x10 = Vector256.FusedMultiplyAdd(x10, m, a); x11 = Vector256.FusedMultiplyAdd(x11, m, a);
        }
        return Vector256.Sum(x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11);
    }
}
