using System.Numerics;
using System.Runtime.CompilerServices;

namespace Flow.Backends.Cpu;

/// <summary>
/// Float32 convolution as GEMM over im2col. Each output pixel's receptive field, in filter order (kh, kw, ci),
/// becomes one row of cols [OH·OW, K = KH·KW·Cin] per image; with the filter seen as [K, Cout]:
///   forward       y [rows, Cout]   = cols · f
///   filter grad   df [K, Cout]     = Σ over images of colsᵀ · dy
///   input grad    dcols [rows, K]  = dy · fᵀ, then col2im adds each row back over its receptive field
/// The images are split into groups, one group per task, each multiplied by one worker on its own. Forward and
/// filter grad never store cols: their GEMMs pack the patches straight from the images (<see cref="ConvPatches"/>);
/// input grad writes its group's dcols into the worker's cache-sized buffer and scatters them while still in
/// cache. Forward and input grad compute every output from one image alone. The filter gradient sums
/// over all images: each of a fixed number of image ranges (two per thread) sums its groups into a partial
/// filter, and the partials are added in range order, so the result is deterministic for a thread count.
/// Batches smaller than the pool split the work otherwise, so that one image still uses every core: forward by ranges
/// of output rows, each a packed-patch GEMM of its own; input grad by chunks (a GEMM that parallelises itself, then
/// col2im one image per worker).
/// One input channel at stride 1 (the first layer) skips the patches: <see cref="SingleChannelConv"/> computes the
/// same products from the image, with the same bits, in the same groups, ranges and row splits.
/// </summary>
internal sealed unsafe class Im2ColConv
{
    private const long ChunkBudgetBytes = 2 << 20;
    private const long GroupBudgetBytes = 1 << 20;
    private const int RangesPerThread = 2;

    [ThreadStatic] private static AlignedScratch? t_workerScratch;

    private readonly Window _w;
    private readonly int _cout, _k, _rows, _chunk, _group, _groups, _ranges;
    private readonly bool _singleChannel;
    private readonly WorkerPool _pool;
    private readonly CpuBuffer _cols, _partials, _transposed;
    // The loops run by the pool are made once; each run sets the operands they read (and the chunk start).
    private readonly Action<int> _col2Im, _forwardGroup, _forwardRows, _backpropInputGroup, _filterRange;
    private float* _images, _filter, _y;
    private int _first, _rowTiles, _rowTasks;

    /// <param name="singleChannel">Whether <see cref="SingleChannelConv"/> may take the layers it applies to (tests compare both ways).</param>
    public Im2ColConv(Window w, int cout, WorkerPool pool, bool singleChannel = true)
    {
        _singleChannel = singleChannel && SingleChannelConv.Applies(w, cout);
        _w = w;
        _cout = cout;
        _pool = pool;
        _rows = w.OH * w.OW;
        _k = w.KH * w.KW * w.C;
        long perImage = Math.Max(1L, (long)_rows * _k * sizeof(float));
        _chunk = (int)Math.Clamp(ChunkBudgetBytes / perImage, 1, Math.Max(1, w.N));
        // Whole rounds of images per worker, so none idles at the end of a chunk's col2im.
        if (_chunk >= pool.Threads) _chunk -= _chunk % pool.Threads;
        // Groups no larger than a fair share of the batch, so that every worker gets one.
        int fairShare = (w.N + pool.Threads - 1) / pool.Threads;
        _group = (int)Math.Clamp(GroupBudgetBytes / perImage, 1, Math.Max(1, fairShare));
        _groups = w.N >= pool.Threads ? (w.N + _group - 1) / _group : 0;
        _ranges = Math.Clamp(w.N, 1, pool.Threads == 1 ? 1 : pool.Threads * RangesPerThread);
        _cols = new CpuBuffer(_groups > 0 ? 0 : perImage * _chunk);
        _partials = new CpuBuffer((long)(_ranges - 1) * _k * cout * sizeof(float));
        _transposed = new CpuBuffer(_singleChannel ? 0 : (long)_ranges * _k * cout * sizeof(float));
        int mr = GemmIsaInfo.Rows(GemmIsaInfo.Best);
        _rowTiles = (int)(((long)w.N * _rows + mr - 1) / mr);
        _rowTasks = Math.Clamp(_rowTiles, 1, pool.Threads * RangesPerThread);
        _col2Im = i => Col2Im(_first + i, ChunkCols(i));
        _forwardGroup = g => Group(g, forward: true);
        _forwardRows = ForwardRows;
        _backpropInputGroup = g => Group(g, forward: false);
        _filterRange = FilterRange;
    }

    private float* ChunkCols(int imageInChunk) => _cols.Ptr<float>() + (long)imageInChunk * _rows * _k;
    private long DyAt(int n) => (long)n * _rows * _cout;

    // x [N, H, W, Cin], f [K, Cout] -> y [N, OH, OW, Cout]
    public void Forward(float* x, float* f, float* y) => PerImage(x, f, y, forward: true);

    // f [K, Cout], dy [N, OH, OW, Cout] -> dx [N, H, W, Cin]
    public void BackpropInput(float* f, float* dy, float* dx) => PerImage(dx, f, dy, forward: false);

    // x [N, H, W, Cin], dy [N, OH, OW, Cout] -> df [K, Cout]
    public void BackpropFilter(float* x, float* dy, float* df)
    {
        long size = (long)_k * _cout;
        if (_w.N == 0 || _rows == 0)
        {
            new Span<float>(df, (int)size).Clear();
            return;
        }
        _images = x;
        _y = dy;
        _filter = df;
        _pool.For(_ranges, _filterRange);
        float* partials = _partials.Ptr<float>();
        for (int r = 1; r < _ranges; r++) AddTo(df, partials + (r - 1) * size, (int)size);
    }

    // Forward or input grad over all images: by groups on the workers, or (batches smaller than the pool) by chunks.
    private void PerImage(float* images, float* filter, float* y, bool forward)
    {
        _images = images;
        _filter = filter;
        _y = y;
        if (_groups > 0) _pool.For(_groups, forward ? _forwardGroup : _backpropInputGroup);
        else if (forward) _pool.For(_rowTasks, _forwardRows);
        else
            for (int n0 = 0; n0 < _w.N; n0 += _chunk)
                BackpropInputPass(n0, Math.Min(_chunk, _w.N - n0), ChunkCols(0), _pool);
    }

    private void Group(int group, bool forward)
    {
        int first = group * _group, count = Math.Min(_group, _w.N - first);
        if (forward)
        {
            // The packed GEMM gathers the patches from the images itself (the same bits as packing cols).
            ForwardProduct((long)first * _rows, count * _rows);
            return;
        }
        BackpropInputPass(first, count, WorkerScratch((long)count * _rows * _k), pool: null);
    }

    // Task t's range of whole register tiles of output rows (balanced to within one tile), across image borders.
    private void ForwardRows(int task)
    {
        int mr = GemmIsaInfo.Rows(GemmIsaInfo.Best);
        long first = (long)task * _rowTiles / _rowTasks * mr, end = Math.Min((long)(task + 1) * _rowTiles / _rowTasks * mr, (long)_w.N * _rows);
        if (end > first) ForwardProduct(first, (int)(end - first));
    }

    // y's rows [first, first + count) = their patches · f, the patches packed straight from the images: every
    // element the same bits as cols · f (ConvTests), however the rows are split.
    private void ForwardProduct(long first, int count)
    {
        if (_singleChannel)
        {
            SingleChannelConv.Forward(_w, _cout, _images, _filter, _y, first, count, WorkerScratch(SingleChannelConv.ScratchFloats(_w, 1)));
            return;
        }
        GemmBlocked.Run<RowBlockedA, ConvPatchesA, MatrixB>(GemmIsaInfo.Best, count, _cout, _k,
            new ConvPatchesA(new ConvPatches(_w, _images, first)), new MatrixB(false, _filter, _cout), _y + first * _cout, _cout, accumulate: false);
    }

    // Images [n0, n0 + count): dcols = dy · fᵀ, then col2im scatters them. With a pool the GEMM splits itself and the
    // scatter runs one image per worker (cols must then be the chunk buffer).
    private void BackpropInputPass(int n0, int count, float* cols, WorkerPool? pool)
    {
        Gemm.Multiply(false, true, count * _rows, _k, _cout, _y + DyAt(n0), _cout, _filter, _cout, cols, _k, accumulate: false, pool);
        if (pool is null)
        {
            for (int i = 0; i < count; i++) Col2Im(n0 + i, cols + (long)i * _rows * _k);
            return;
        }
        _first = n0;
        pool.For(count, _col2Im);
    }

    // Range r of the images, in groups, summed into df itself (r = 0) or into partial r - 1. Each group adds
    // dfᵀ [Cout, K] += dyᵀ · cols with the patches packed straight from the images (the products' operands swapped:
    // the same multiply-adds in the same order, so the same bits as colsᵀ · dy), and the range's sum is transposed
    // into place at the end.
    private void FilterRange(int range)
    {
        int first = (int)((long)range * _w.N / _ranges), end = (int)((long)(range + 1) * _w.N / _ranges);
        float* target = range == 0 ? _filter : _partials.Ptr<float>() + (long)(range - 1) * _k * _cout;
        if (_singleChannel)
        {
            for (int n0 = first; n0 < end; n0 += _group)
            {
                int count = Math.Min(_group, end - n0);
                SingleChannelConv.FilterGradient(_w, _cout, _images, _y, n0, count, target, accumulate: n0 > first,
                    WorkerScratch(SingleChannelConv.ScratchFloats(_w, count)));
            }
            return;
        }
        float* transposed = _transposed.Ptr<float>() + (long)range * _k * _cout;
        for (int n0 = first; n0 < end; n0 += _group)
        {
            int count = Math.Min(_group, end - n0);
            GemmBlocked.Run<KMajorA, MatrixA<KMajorA>, ConvPatchesB>(GemmIsaInfo.Best, _cout, _k, count * _rows,
                new MatrixA<KMajorA>(_y + DyAt(n0), _cout), new ConvPatchesB(new ConvPatches(_w, _images, (long)n0 * _rows)),
                transposed, _k, accumulate: n0 > first);
        }
        for (int co = 0; co < _cout; co++)
            for (int k = 0; k < _k; k++) target[(long)k * _cout + co] = transposed[(long)co * _k + k];
    }

    // The worker's buffer for one task: a group's dcols, or SingleChannelConv's bordered images.
    private static float* WorkerScratch(long floats) => (t_workerScratch ??= new AlignedScratch()).Get(floats);

    // col2im of image n: clears it and adds its cols back over their receptive fields. For one (output pixel, kh) the
    // taps kw = 0..KW-1 cover KW·Cin consecutive floats of the image, so each is one block, clipped to the columns
    // inside the image.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Col2Im(int n, float* cols)
    {
        var w = _w;
        float* image = _images + (long)n * w.ImageSize;
        new Span<float>(image, w.ImageSize).Clear();
        int block = w.KW * w.C;
        for (int oh = 0; oh < w.OH; oh++)
        {
            int ih0 = oh * w.SH - w.PadTop;
            for (int ow = 0; ow < w.OW; ow++, cols += _k)
            {
                int iw0 = ow * w.SW - w.PadLeft;
                int lo = Math.Max(0, -iw0) * w.C, hi = Math.Min(w.KW, w.W - iw0) * w.C;
                if (lo >= hi) continue;
                for (int kh = 0; kh < w.KH; kh++)
                {
                    int ih = ih0 + kh;
                    if ((uint)ih < (uint)w.H) AddTo(image + ((long)ih * w.W + iw0) * w.C + lo, cols + kh * block + lo, hi - lo);
                }
            }
        }
    }

    private static void AddTo(float* dst, float* src, int count)
    {
        int i = 0;
        for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
            Vector.Store(Vector.Load(dst + i) + Vector.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] += src[i];
    }
}
