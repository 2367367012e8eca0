using System.Diagnostics;
using Flow.Backends.Cpu;

namespace Mnist.Data;

/// <summary>
/// Distorts every image of a gathered training batch in place (<see cref="AffineDistortion"/>, <see cref="ImageWarp"/>),
/// rows split across a worker pool: the session's own, so no extra threads compete with the kernels. Each row's
/// distortion depends only on (seed, step, row), so the bits are the same for any thread count. Allocates nothing
/// per call: the body delegate and each task's scratch row are made once.
/// </summary>
public sealed class BatchAugmenter
{
    private const int Pixels = MnistLayout.ImagePixels;

    private readonly WorkerPool? _pool;
    private readonly int _seed;
    private readonly float _background;
    private readonly float[][] _scratch;
    private readonly Action<int> _body;
    private float[] _images = [];
    private int _rows;
    private long _step;

    /// <param name="pool">Where the rows run; null runs them on the calling thread.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="scaling">The batch's pixel scaling, whose value of a raw 0 fills what moves in from outside.</param>
    public BatchAugmenter(WorkerPool? pool, int seed, PixelScaling scaling)
    {
        (_pool, _seed) = (pool, seed);
        _background = PixelLookup.Background(scaling);
        // Two tasks per thread, so a thread slowed by another tenant does not hold the step up by a whole share.
        _scratch = new float[(pool?.Threads ?? 1) * 2][];
        for (int i = 0; i < _scratch.Length; i++) _scratch[i] = new float[Pixels];
        _body = RunTask;
    }

    /// <summary>Time spent in <see cref="Apply"/> so far, in <see cref="Stopwatch"/> ticks (bench reports it per step).</summary>
    public long ElapsedTicks { get; private set; }

    /// <summary>Distorts rows [0, rows) of <paramref name="images"/> (rows × 784 scaled pixels) as step <paramref name="step"/>'s batch.</summary>
    public void Apply(float[] images, int rows, long step)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)rows * Pixels, images.LongLength, nameof(rows));
        long start = Stopwatch.GetTimestamp();
        (_images, _rows, _step) = (images, rows, step);
        int tasks = Math.Min(_scratch.Length, rows);
        if (_pool is null) for (int t = 0; t < tasks; t++) RunTask(t);
        else _pool.For(tasks, _body);
        _images = [];
        ElapsedTicks += Stopwatch.GetTimestamp() - start;
    }

    // Task t takes a fixed contiguous range of rows; each row is copied out to the task's scratch and warped back in place.
    private void RunTask(int task)
    {
        int tasks = Math.Min(_scratch.Length, _rows);
        int first = (int)((long)_rows * task / tasks), end = (int)((long)_rows * (task + 1) / tasks);
        var scratch = _scratch[task];
        for (int row = first; row < end; row++)
        {
            var image = _images.AsSpan(row * Pixels, Pixels);
            image.CopyTo(scratch);
            ImageWarp.Apply(scratch, image, AffineDistortion.Draw(_seed, _step, row), _background);
        }
    }
}
