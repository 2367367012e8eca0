using System.Numerics;

namespace Flow.Backends.Cpu;

/// <summary>
/// The float32 fast paths of FusedBatchNorm and FusedBatchNormGrad. The rows of x [M, C] are cut into fixed
/// chunks of about <see cref="Chunks.Size"/> elements run on the worker pool; each chunk sums its rows a vector
/// of channels at a time, widened to double, into its own partial sums, which are then added in chunk order
/// (so results do not depend on the thread count). Per element they compute what the references compute;
/// only the order of the additions differs. Each kernel keeps its scratch, so a run allocates nothing.
/// </summary>
internal static unsafe class BatchNormFast
{
    /// <summary>y = (x − μ)·a + offset, with the batch's statistics in training and the given ones in inference.</summary>
    internal sealed class Forward
    {
        private readonly ChunkedRows _rows;
        private readonly double _eps;
        private readonly DType _flag;
        private readonly float* _mean, _a;
        private readonly Action<int> _sum, _squares, _apply;
        private float* _x, _y, _offset;

        public Forward(KernelRequest q, CpuBackend backend)
        {
            var (m, c) = BatchNormKernels.Extent(q.InputShapes[0]);
            _rows = new ChunkedRows(backend, m, c, accumulators: 2, coefficients: 2);
            _mean = _rows.Coefficient(0);
            _a = _rows.Coefficient(1);
            _eps = q.Attrs<BatchNormAttributes>().Epsilon;
            _flag = q.InputTypes[5];
            _sum = SumChunk;
            _squares = SquaresChunk;
            _apply = ApplyChunk;
        }

        public void Run(CpuBuffer[] i, CpuBuffer[] o)
        {
            bool training = BatchNormKernels.Training(i[5], _flag);
            _x = i[0].Ptr<float>();
            _y = o[0].Ptr<float>();
            _offset = i[2].Ptr<float>();
            int m = _rows.Rows, c = _rows.Channels;
            // Total(0) holds the sums, turned into means for the squares pass; Total(1) the squares.
            double* mean = _rows.Total(0), squares = _rows.Total(1);
            if (training)
            {
                _rows.For(_sum);
                _rows.Add(0);
                for (int ch = 0; ch < c; ch++) mean[ch] = BatchNormKernels.Mean(mean[ch], m);
                _rows.For(_squares);
                _rows.Add(1);
            }
            var io = ForwardIo<float>.Of(i, o, m, c);
            for (int ch = 0; ch < c; ch++) (_a[ch], _mean[ch]) = BatchNormKernels.Channel(ref io, ch, m, _eps, training, mean[ch], squares[ch]);
            _rows.For(_apply);
        }

        private void SumChunk(int chunk)
        {
            var (start, count) = _rows.RowsOf(chunk);
            ChunkedRows.AddRows(_x + (long)start * _rows.Channels, count, _rows.Channels, null, _rows.Partial(chunk, 0));
        }

        private void SquaresChunk(int chunk)
        {
            var (start, count) = _rows.RowsOf(chunk);
            ChunkedRows.AddRows(_x + (long)start * _rows.Channels, count, _rows.Channels, _rows.Total(0), _rows.Partial(chunk, 1));
        }

        private void ApplyChunk(int chunk)
        {
            var (start, count) = _rows.RowsOf(chunk);
            int c = _rows.Channels;
            float* x = _x + (long)start * c, y = _y + (long)start * c;
            for (int r = 0; r < count; r++, x += c, y += c)
            {
                int ch = 0;
                for (; ch <= c - Vector<float>.Count; ch += Vector<float>.Count)
                    ((Vector.Load(x + ch) - Vector.Load(_mean + ch)) * Vector.Load(_a + ch) + Vector.Load(_offset + ch)).Store(y + ch);
                for (; ch < c; ch++) y[ch] = (x[ch] - _mean[ch]) * _a[ch] + _offset[ch];
            }
        }
    }

    /// <summary>dx = dy·k + ((x − μ)·p + q), d scale and d offset, from Σdy and Σdy·(x − μ) per channel.</summary>
    internal sealed class Gradient
    {
        private readonly ChunkedRows _rows;
        private readonly DType _flag;
        private readonly float* _k, _p, _q;
        private readonly Action<int> _sums, _apply;
        private float* _dy, _x, _dx, _mean;

        public Gradient(KernelRequest q, CpuBackend backend)
        {
            var (m, c) = BatchNormKernels.Extent(q.InputShapes[1]);
            _rows = new ChunkedRows(backend, m, c, accumulators: 2, coefficients: 3);
            _k = _rows.Coefficient(0);
            _p = _rows.Coefficient(1);
            _q = _rows.Coefficient(2);
            _flag = q.InputTypes[5];
            _sums = SumsChunk;
            _apply = ApplyChunk;
        }

        public void Run(CpuBuffer[] i, CpuBuffer[] o)
        {
            bool training = BatchNormKernels.Training(i[5], _flag);
            _dy = i[0].Ptr<float>();
            _x = i[1].Ptr<float>();
            _mean = i[3].Ptr<float>();
            _dx = o[0].Ptr<float>();
            int m = _rows.Rows, c = _rows.Channels;
            _rows.For(_sums);
            _rows.Add(0);
            _rows.Add(1);
            double* sumDy = _rows.Total(0), sumDyCentered = _rows.Total(1);
            var io = GradientIo<float>.Of(i, o, m, c);
            for (int ch = 0; ch < c; ch++)
                (_k[ch], _p[ch], _q[ch]) = BatchNormKernels.GradientChannel(ref io, ch, m, training, sumDy[ch], sumDyCentered[ch]);
            _rows.For(_apply);
        }

        private void SumsChunk(int chunk)
        {
            var (start, count) = _rows.RowsOf(chunk);
            int c = _rows.Channels, w = Vector<float>.Count, h = Vector<double>.Count;
            float* dy = _dy + (long)start * c, x = _x + (long)start * c;
            double* sumDy = _rows.Partial(chunk, 0), sumDyCentered = _rows.Partial(chunk, 1);
            for (int r = 0; r < count; r++, dy += c, x += c)
            {
                int ch = 0;
                for (; ch <= c - w; ch += w)
                {
                    Vector.Widen(Vector.Load(dy + ch), out var gLo, out var gHi);
                    Vector.Widen(Vector.Load(x + ch) - Vector.Load(_mean + ch), out var dLo, out var dHi);
                    Accumulate(sumDy + ch, gLo, gHi, h);
                    Accumulate(sumDyCentered + ch, gLo * dLo, gHi * dHi, h);
                }
                for (; ch < c; ch++)
                {
                    sumDy[ch] += dy[ch];
                    sumDyCentered[ch] += (double)dy[ch] * (x[ch] - _mean[ch]);
                }
            }
        }

        private void ApplyChunk(int chunk)
        {
            var (start, count) = _rows.RowsOf(chunk);
            int c = _rows.Channels;
            float* dy = _dy + (long)start * c, x = _x + (long)start * c, dx = _dx + (long)start * c;
            for (int r = 0; r < count; r++, dy += c, x += c, dx += c)
            {
                int ch = 0;
                for (; ch <= c - Vector<float>.Count; ch += Vector<float>.Count)
                    (Vector.Load(dy + ch) * Vector.Load(_k + ch)
                        + ((Vector.Load(x + ch) - Vector.Load(_mean + ch)) * Vector.Load(_p + ch) + Vector.Load(_q + ch))).Store(dx + ch);
                for (; ch < c; ch++) dx[ch] = dy[ch] * _k[ch] + ((x[ch] - _mean[ch]) * _p[ch] + _q[ch]);
            }
        }
    }

    private static void Accumulate(double* acc, Vector<double> lo, Vector<double> hi, int h)
    {
        (Vector.Load(acc) + lo).Store(acc);
        (Vector.Load(acc + h) + hi).Store(acc + h);
    }

    /// <summary>
    /// The rows of an [M, C] tensor in fixed chunks, with per-chunk partial sums [C] (zeroed before each pass),
    /// their totals, and per-channel float32 coefficients; all pinned and kept for the kernel's life.
    /// </summary>
    private sealed class ChunkedRows
    {
        private readonly CpuBackend _backend;
        private readonly double[] _partials, _totals;
        private readonly float[] _coefficients;
        private readonly int _rowsPerChunk, _accumulators;

        public ChunkedRows(CpuBackend backend, int rows, int channels, int accumulators, int coefficients)
        {
            _backend = backend;
            (Rows, Channels, _accumulators) = (rows, channels, accumulators);
            _rowsPerChunk = Math.Max(1, Chunks.Size / Math.Max(channels, 1));
            Count = (rows + _rowsPerChunk - 1) / _rowsPerChunk;
            _partials = GC.AllocateArray<double>(Count * accumulators * channels, pinned: true);
            _totals = GC.AllocateArray<double>(accumulators * channels, pinned: true);
            _coefficients = GC.AllocateArray<float>(coefficients * channels, pinned: true);
        }

        public int Rows { get; }
        public int Channels { get; }
        public int Count { get; }

        public (int Start, int Count) RowsOf(int chunk) => (chunk * _rowsPerChunk, Math.Min(_rowsPerChunk, Rows - chunk * _rowsPerChunk));

        public double* Partial(int chunk, int accumulator) => Pin(_partials) + ((long)chunk * _accumulators + accumulator) * Channels;
        public double* Total(int accumulator) => Pin(_totals) + (long)accumulator * Channels;
        public float* Coefficient(int index) => Pin(_coefficients) + (long)index * Channels;

        /// <summary>Runs the chunks, on the pool when there are several, after zeroing the partial sums.</summary>
        public void For(Action<int> chunk)
        {
            Array.Clear(_partials);
            if (Count == 1) chunk(0);
            else _backend.Pool.For(Count, chunk);
        }

        /// <summary>Adds one accumulator's partial sums in chunk order into its total.</summary>
        public void Add(int accumulator)
        {
            double* total = Total(accumulator);
            new Span<double>(total, Channels).Clear();
            for (int k = 0; k < Count; k++)
            {
                double* p = Partial(k, accumulator);
                for (int ch = 0; ch < Channels; ch++) total[ch] += p[ch];
            }
        }

        /// <summary>acc[ch] += Σ over the rows of x[r, ch], or of (x[r, ch] − mean[ch])² when a mean is given.</summary>
        public static void AddRows(float* x, int rows, int c, double* mean, double* acc)
        {
            int w = Vector<float>.Count, h = Vector<double>.Count;
            for (int r = 0; r < rows; r++, x += c)
            {
                int ch = 0;
                for (; ch <= c - w; ch += w)
                {
                    Vector.Widen(Vector.Load(x + ch), out var lo, out var hi);
                    if (mean is null) Accumulate(acc + ch, lo, hi, h);
                    else
                    {
                        lo -= Vector.Load(mean + ch);
                        hi -= Vector.Load(mean + ch + h);
                        Accumulate(acc + ch, lo * lo, hi * hi, h);
                    }
                }
                for (; ch < c; ch++)
                {
                    double v = mean is null ? x[ch] : x[ch] - mean[ch];
                    acc[ch] += mean is null ? v : v * v;
                }
            }
        }

        // The arrays are pinned (allocated on the pinned heap), so their addresses never change.
        private static T* Pin<T>(T[] array) where T : unmanaged =>
            (T*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(array));
    }
}
