using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>
/// FusedBatchNorm and FusedBatchNormGrad over [M, C] (NHWC flattened: statistics per channel, the last axis).
/// The references go channel by channel, summing in double in row order; the float32 fast paths
/// (<see cref="BatchNormFast"/>) sum chunks of rows a vector of channels at a time on the worker pool. Both turn
/// the sums into the outputs and the per-channel coefficients with the same code here, and apply them with the
/// same formulas:
///   y  = (x − μ)·a + offset               a = scale·invStd
///   dx = dy·k + ((x − μ)·p + q)          k = scale·invStd; in training p = −k·invStd²·Σdy(x − μ)/M,
///                                        q = −k·Σdy/M; in inference p = q = 0
/// </summary>
internal static unsafe class BatchNormKernels
{
    public static void Register(Dictionary<OpDef, KernelFactory> r)
    {
        r[Tf.FusedBatchNormDef] = (q, b) => ByType.Floating(q.InputTypes[0],
            () => new CpuKernel(new BatchNormFast.Forward(q, b).Run), () => Whole<double>(q, Forward<double>));
        r[Tf.FusedBatchNormGradDef] = (q, b) => ByType.Floating(q.InputTypes[0],
            () => new CpuKernel(new BatchNormFast.Gradient(q, b).Run), () => Whole<double>(q, Gradient<double>));
    }

    /// <summary>x's rows M (N·H·W, or N) and channels C.</summary>
    public static (int Rows, int Channels) Extent(Shape x) => x[-1] == 0 ? (0, 0) : (x.Size / x[-1], x[-1]);

    /// <summary>The training input, read at run time: bool, float32 or float64, nonzero meaning training.</summary>
    public static bool Training(CpuBuffer flag, DType type) => type switch
    {
        DType.Bool => *flag.Ptr<byte>() != 0,
        DType.Float32 => *flag.Ptr<float>() != 0,
        _ => *flag.Ptr<double>() != 0,
    };

    private delegate void WholeFn<T>(CpuBuffer[] i, CpuBuffer[] o, int rows, int channels, double epsilon, bool training) where T : unmanaged;

    private static IKernel Whole<T>(KernelRequest q, WholeFn<T> fn) where T : unmanaged
    {
        var (m, c) = Extent(q.InputShapes[q.Def == Tf.FusedBatchNormDef ? 0 : 1]);
        double eps = q.Attrs<BatchNormAttributes>().Epsilon;
        DType flag = q.InputTypes[5];
        return new CpuKernel((i, o) => fn(i, o, m, c, eps, Training(i[5], flag)));
    }

    private static void Forward<T>(CpuBuffer[] i, CpuBuffer[] o, int m, int c, double eps, bool training)
        where T : unmanaged, IFloatingPointIeee754<T> => Forward(ForwardIo<T>.Of(i, o, m, c), m, c, eps, training);

    private static void Gradient<T>(CpuBuffer[] i, CpuBuffer[] o, int m, int c, double eps, bool training)
        where T : unmanaged, IFloatingPointIeee754<T> => Gradient(GradientIo<T>.Of(i, o, m, c), m, c, training);

    /// <summary>The reference forward pass over x [m, c].</summary>
    internal static void Forward<T>(ForwardIo<T> io, int m, int c, double eps, bool training) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ch = 0; ch < c; ch++)
        {
            double mu = 0, squares = 0;
            if (training)
            {
                double sum = 0;
                for (int r = 0; r < m; r++) sum += double.CreateTruncating(io.X[r * c + ch]);
                mu = Mean(sum, m);
                for (int r = 0; r < m; r++)
                {
                    double d = double.CreateTruncating(io.X[r * c + ch]) - mu;
                    squares += d * d;
                }
            }
            var (a, mean) = Channel(ref io, ch, m, eps, training, mu, squares);
            T offset = io.Offset[ch];
            for (int r = 0; r < m; r++) io.Y[r * c + ch] = (io.X[r * c + ch] - mean) * a + offset;
        }
    }

    /// <summary>The reference gradient over dy and x [m, c].</summary>
    internal static void Gradient<T>(GradientIo<T> io, int m, int c, bool training) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ch = 0; ch < c; ch++)
        {
            T mean = io.SavedMean[ch];
            double sumDy = 0, sumDyCentered = 0;
            for (int r = 0; r < m; r++)
            {
                double dy = double.CreateTruncating(io.Dy[r * c + ch]);
                sumDy += dy;
                sumDyCentered += dy * double.CreateTruncating(io.X[r * c + ch] - mean);
            }
            var (k, p, q) = GradientChannel(ref io, ch, m, training, sumDy, sumDyCentered);
            for (int r = 0; r < m; r++) io.Dx[r * c + ch] = io.Dy[r * c + ch] * k + ((io.X[r * c + ch] - mean) * p + q);
        }
    }

    internal static double Mean(double sum, int m) => m > 0 ? sum / m : 0;

    /// <summary>
    /// One channel's statistics outputs from the batch (training: its mean μ and Σ(x − μ)²) or from the
    /// given mean and variance (inference), and the coefficient a and mean μ that y = (x − μ)·a + offset needs.
    /// </summary>
    internal static (T A, T Mean) Channel<T>(ref ForwardIo<T> io, int ch, int m, double eps, bool training, double batchMean, double squares)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double mu, variance;
        if (training)
        {
            mu = batchMean;
            variance = Mean(squares, m);
            io.BatchMean[ch] = T.CreateTruncating(mu);
            // TF hands the moving average the unbiased variance: M/(M − 1) times the biased one used to normalise.
            io.BatchVariance[ch] = T.CreateTruncating(variance * m / Math.Max(m - 1, 1));
        }
        else
        {
            mu = double.CreateTruncating(io.Mean[ch]);
            variance = double.CreateTruncating(io.Variance[ch]);
            io.BatchMean[ch] = io.Mean[ch];
            io.BatchVariance[ch] = io.Variance[ch];
        }
        double invStd = 1 / Math.Sqrt(variance + eps);
        T mean = T.CreateTruncating(mu);
        io.SavedMean[ch] = mean;
        io.SavedInvStd[ch] = T.CreateTruncating(invStd);
        return (T.CreateTruncating(double.CreateTruncating(io.Scale[ch]) * invStd), mean);
    }

    /// <summary>One channel's d scale and d offset from Σdy and Σdy·(x − μ), and dx's coefficients k, p, q.</summary>
    internal static (T K, T P, T Q) GradientChannel<T>(ref GradientIo<T> io, int ch, int m, bool training, double sumDy, double sumDyCentered)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double invStd = double.CreateTruncating(io.SavedInvStd[ch]);
        double k = double.CreateTruncating(io.Scale[ch]) * invStd;
        io.DOffset[ch] = T.CreateTruncating(sumDy);
        io.DScale[ch] = T.CreateTruncating(sumDyCentered * invStd);
        double p = training && m > 0 ? -k * invStd * invStd * sumDyCentered / m : 0;
        double q = training && m > 0 ? -k * sumDy / m : 0;
        return (T.CreateTruncating(k), T.CreateTruncating(p), T.CreateTruncating(q));
    }
}

/// <summary>FusedBatchNorm's inputs and outputs as spans: x and y [m, c], the rest [c].</summary>
internal readonly ref struct ForwardIo<T> where T : unmanaged
{
    public ReadOnlySpan<T> X { get; init; }
    public ReadOnlySpan<T> Scale { get; init; }
    public ReadOnlySpan<T> Offset { get; init; }
    public ReadOnlySpan<T> Mean { get; init; }
    public ReadOnlySpan<T> Variance { get; init; }
    public Span<T> Y { get; init; }
    public Span<T> BatchMean { get; init; }
    public Span<T> BatchVariance { get; init; }
    public Span<T> SavedMean { get; init; }
    public Span<T> SavedInvStd { get; init; }

    public static ForwardIo<T> Of(CpuBuffer[] i, CpuBuffer[] o, int m, int c) => new()
    {
        X = i[0].Span<T>(m * c), Scale = i[1].Span<T>(c), Offset = i[2].Span<T>(c), Mean = i[3].Span<T>(c), Variance = i[4].Span<T>(c),
        Y = o[0].Span<T>(m * c), BatchMean = o[1].Span<T>(c), BatchVariance = o[2].Span<T>(c), SavedMean = o[3].Span<T>(c), SavedInvStd = o[4].Span<T>(c),
    };
}

/// <summary>FusedBatchNormGrad's inputs and outputs as spans: dy, x and dx [m, c], the rest [c].</summary>
internal readonly ref struct GradientIo<T> where T : unmanaged
{
    public ReadOnlySpan<T> Dy { get; init; }
    public ReadOnlySpan<T> X { get; init; }
    public ReadOnlySpan<T> Scale { get; init; }
    public ReadOnlySpan<T> SavedMean { get; init; }
    public ReadOnlySpan<T> SavedInvStd { get; init; }
    public Span<T> Dx { get; init; }
    public Span<T> DScale { get; init; }
    public Span<T> DOffset { get; init; }

    public static GradientIo<T> Of(CpuBuffer[] i, CpuBuffer[] o, int m, int c) => new()
    {
        Dy = i[0].Span<T>(m * c), X = i[1].Span<T>(m * c), Scale = i[2].Span<T>(c), SavedMean = i[3].Span<T>(c), SavedInvStd = i[4].Span<T>(c),
        Dx = o[0].Span<T>(m * c), DScale = o[1].Span<T>(c), DOffset = o[2].Span<T>(c),
    };
}
