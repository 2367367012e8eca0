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
/// Forward and input grad of batches smaller than the pool take a chunked path instead (im2col one image per
/// worker, then a GEMM that parallelises itself), so that one image still uses every core.
/// </summary>
internal sealed unsafe class Im2ColConv
{
    private const long ChunkBudgetBytes = 2 << 20;
    private const long GroupBudgetBytes = 1 << 20;
    private const int RangesPerThread = 2;

    [ThreadStatic] private static AlignedScratch? t_groupCols;

    private readonly Window _w;
    private readonly int _cout, _k, _rows, _chunk, _group, _groups, _ranges;
    private readonly WorkerPool _pool;
    private readonly CpuBuffer _cols, _partials, _transposed;
    // The loops run by the pool are made once; each run sets the operands they read (and the chunk start).
    private readonly Action<int> _im2Col, _col2Im, _forwardGroup, _backpropInputGroup, _filterRange;
    private float* _images, _filter, _y;
    private int _first;

    public Im2ColConv(Window w, int cout, WorkerPool pool)
    {
        _w = w;
        _cout = cout;
        _pool = pool;
        _rows = w.OH * w.OW;
        _k = w.KH * w.KW * w.C;
        long perImage = Math.Max(1L, (long)_rows * _k * sizeof(float));
        _chunk = (int)Math.Clamp(ChunkBudgetBytes / perImage, 1, Math.Max(1, w.N));
        // Whole rounds of images per worker, so none idles at the end of a chunk's im2col.
        if (_chunk >= pool.Threads) _chunk -= _chunk % pool.Threads;
        // Groups no larger than a fair share of the batch, so that every worker gets one.
        int fairShare = (w.N + pool.Threads - 1) / pool.Threads;
        _group = (int)Math.Clamp(GroupBudgetBytes / perImage, 1, Math.Max(1, fairShare));
        _groups = w.N >= pool.Threads ? (w.N + _group - 1) / _group : 0;
        _ranges = Math.Clamp(w.N, 1, pool.Threads == 1 ? 1 : pool.Threads * RangesPerThread);
        _cols = new CpuBuffer(_groups > 0 ? 0 : perImage * _chunk);
        _partials = new CpuBuffer((long)(_ranges - 1) * _k * cout * sizeof(float));
        _transposed = new CpuBuffer((long)_ranges * _k * cout * sizeof(float));
        _im2Col = i => Walk(_first + i, ChunkCols(i), toCols: true);
        _col2Im = i => Walk(_first + i, ChunkCols(i), toCols: false);
        _forwardGroup = g => Group(g, forward: true);
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
        if (_groups > 0)
        {
            _pool.For(_groups, forward ? _forwardGroup : _backpropInputGroup);
            return;
        }
        for (int n0 = 0; n0 < _w.N; n0 += _chunk)
            Pass(n0, Math.Min(_chunk, _w.N - n0), ChunkCols(0), forward, _pool);
    }

    private void Group(int group, bool forward)
    {
        int first = group * _group, count = Math.Min(_group, _w.N - first);
        if (forward)
        {
            // The packed GEMM gathers the patches from the images itself (the same bits as packing cols).
            GemmBlocked.Run<RowBlockedA, ConvPatchesA, MatrixB>(GemmIsaInfo.Best, count * _rows, _cout, _k,
                new ConvPatchesA(new ConvPatches(_w, _images, first)), new MatrixB(false, _filter, _cout), _y + DyAt(first), _cout, accumulate: false);
            return;
        }
        Pass(first, count, WorkerCols(count), forward, pool: null);
    }

    // Images [n0, n0 + count) through cols: forward gathers them and multiplies, y = cols · f; input grad multiplies,
    // dcols = dy · fᵀ, and scatters. With a pool the gather or scatter runs one image per worker (cols must then be
    // the chunk buffer) and the GEMM splits itself.
    private void Pass(int n0, int count, float* cols, bool forward, WorkerPool? pool)
    {
        if (forward)
        {
            Walks(n0, count, cols, toCols: true, pool);
            Gemm.Multiply(false, false, count * _rows, _cout, _k, cols, _k, _filter, _cout, _y + DyAt(n0), _cout, accumulate: false, pool);
        }
        else
        {
            Gemm.Multiply(false, true, count * _rows, _k, _cout, _y + DyAt(n0), _cout, _filter, _cout, cols, _k, accumulate: false, pool);
            Walks(n0, count, cols, toCols: false, pool);
        }
    }

    private void Walks(int n0, int count, float* cols, bool toCols, WorkerPool? pool)
    {
        if (pool is null)
        {
            for (int i = 0; i < count; i++) Walk(n0 + i, cols + (long)i * _rows * _k, toCols);
            return;
        }
        _first = n0;
        pool.For(count, toCols ? _im2Col : _col2Im);
    }

    // Range r of the images, in groups, summed into df itself (r = 0) or into partial r - 1. Each group adds
    // dfᵀ [Cout, K] += dyᵀ · cols with the patches packed straight from the images (the products' operands swapped:
    // the same multiply-adds in the same order, so the same bits as colsᵀ · dy), and the range's sum is transposed
    // into place at the end.
    private void FilterRange(int range)
    {
        int first = (int)((long)range * _w.N / _ranges), end = (int)((long)(range + 1) * _w.N / _ranges);
        float* target = range == 0 ? _filter : _partials.Ptr<float>() + (long)(range - 1) * _k * _cout;
        float* transposed = _transposed.Ptr<float>() + (long)range * _k * _cout;
        for (int n0 = first; n0 < end; n0 += _group)
        {
            int count = Math.Min(_group, end - n0);
            GemmBlocked.Run<KMajorA, MatrixA<KMajorA>, ConvPatchesB>(GemmIsaInfo.Best, _cout, _k, count * _rows,
                new MatrixA<KMajorA>(_y + DyAt(n0), _cout), new ConvPatchesB(new ConvPatches(_w, _images, n0)),
                transposed, _k, accumulate: n0 > first);
        }
        for (int co = 0; co < _cout; co++)
            for (int k = 0; k < _k; k++) target[(long)k * _cout + co] = transposed[(long)co * _k + k];
    }

    private float* WorkerCols(int images) => (t_groupCols ??= new AlignedScratch()).Get((long)images * _rows * _k);

    // Image n against its cols: gathers the receptive fields (zeros for padding) or, for col2im, clears the
    // image and adds them back. For one (output pixel, kh) the taps kw = 0..KW-1 read KW·Cin consecutive
    // floats of x, so each is one block copy, clipped to the columns inside the image.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Walk(int n, float* cols, bool toCols)
    {
        var w = _w;
        float* image = _images + (long)n * w.ImageSize;
        if (!toCols) new Span<float>(image, w.ImageSize).Clear();
        int block = w.KW * w.C;
        for (int oh = 0; oh < w.OH; oh++)
        {
            int ih0 = oh * w.SH - w.PadTop;
            for (int ow = 0; ow < w.OW; ow++, cols += _k)
            {
                int iw0 = ow * w.SW - w.PadLeft;
                int lo = Math.Max(0, -iw0) * w.C, hi = Math.Min(w.KW, w.W - iw0) * w.C;
                for (int kh = 0; kh < w.KH; kh++)
                {
                    float* row = cols + kh * block;
                    int ih = ih0 + kh;
                    bool inside = (uint)ih < (uint)w.H && lo < hi;
                    if (toCols)
                    {
                        if (!inside) { new Span<float>(row, block).Clear(); continue; }
                        new Span<float>(row, lo).Clear();
                        new Span<float>(row + hi, block - hi).Clear();
                    }
                    else if (!inside) continue;
                    float* pixels = image + ((long)ih * w.W + iw0) * w.C;
                    if (toCols) Copy(pixels + lo, row + lo, hi - lo);
                    else AddTo(pixels + lo, row + lo, hi - lo);
                }
            }
        }
    }

    // Blocks are short when Cin is small (5 floats for a 5×5 filter on one channel): a plain loop beats memmove's setup.
    private static void Copy(float* src, float* dst, int count)
    {
        if (count >= 32) Buffer.MemoryCopy(src, dst, count * sizeof(float), count * sizeof(float));
        else for (int i = 0; i < count; i++) dst[i] = src[i];
    }

    private static void AddTo(float* dst, float* src, int count)
    {
        int i = 0;
        for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
            Vector.Store(Vector.Load(dst + i) + Vector.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] += src[i];
    }
}
