namespace Flow.Backends.Cpu;

/// <summary>
/// Splits one GEMM into independent sub-GEMMs over contiguous ranges of row tiles (or column tiles) of C and runs
/// them on a <see cref="WorkerPool"/>. Each sub-GEMM packs its own panels, so the operand that every task
/// re-packs should be the small one: splitting rows re-packs B (k×n) per task, splitting columns re-packs A (m×k).
/// A few rows against a row-major B (<see cref="GemmRowStream"/>) split the depth instead: each task sums its range of
/// KC panels into a scratch block, and the caller adds the blocks to C in panel order, the serial path's additions.
/// One job per calling thread holds the arguments and a cached delegate, so a call allocates nothing.
/// </summary>
internal sealed unsafe class GemmParallelJob
{
    // Tasks per thread: a little over one so a worker that wakes late still leaves the caller balanced work.
    private const int TasksPerThread = 2;
    private const int NR = GemmIsaInfo.NR;

    [ThreadStatic] private static GemmParallelJob? t_current;

    private readonly Action<int> _runTask, _runDepthTask;
    private readonly AlignedScratch _partials = new();
    private GemmIsa _isa;
    private bool _transA, _transB, _accumulate, _splitRows;
    private int _m, _n, _k, _lda, _ldb, _ldc, _tiles, _tasks, _tileSize;
    private float* _a, _b, _c, _panelSums;

    private GemmParallelJob() => (_runTask, _runDepthTask) = (RunTask, RunDepthTask);

    public static GemmParallelJob ForCurrentThread() => t_current ??= new GemmParallelJob();

    public void Run(WorkerPool pool, GemmIsa isa, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int mr = GemmIsaInfo.Rows(isa);
        int rowTiles = (m + mr - 1) / mr, columnTiles = (n + NR - 1) / NR;
        (_isa, _transA, _transB, _m, _n, _k) = (isa, transA, transB, m, n, k);
        (_lda, _ldb, _ldc, _accumulate) = (lda, ldb, ldc, accumulate);
        _a = a;
        _b = b;
        _c = c;
        if (!transB && m <= GemmRowStream.MaxRows && GemmRowStream.Panels(k) > 1)
        {
            RunSplitDepth(pool);
            return;
        }
        _splitRows = n <= m ? rowTiles > 1 : columnTiles == 1;
        (_tiles, _tileSize) = _splitRows ? (rowTiles, mr) : (columnTiles, NR);
        _tasks = Math.Min(_tiles, pool.Threads * TasksPerThread);
        try
        {
            pool.For(_tasks, _runTask);
        }
        finally
        {
            _a = _b = _c = null;
        }
    }

    private void RunSplitDepth(WorkerPool pool)
    {
        int panels = GemmRowStream.Panels(_k);
        _tasks = Math.Min(panels, pool.Threads * TasksPerThread);
        _panelSums = _partials.Get((long)panels * _m * _n);
        try
        {
            pool.For(_tasks, _runDepthTask);
            GemmRowStream.AddPanels(_m, _n, panels, _panelSums, _c, _ldc, _accumulate);
        }
        finally
        {
            _a = _b = _c = _panelSums = null;
        }
    }

    private void RunDepthTask(int task)
    {
        int panels = GemmRowStream.Panels(_k);
        int first = (int)((long)task * panels / _tasks), end = (int)((long)(task + 1) * panels / _tasks);
        GemmRowStream.PanelSums(_isa, _transA, _m, _n, _k, _a, _lda, _b, _ldb, first, end, _panelSums + (long)first * _m * _n);
    }

    private void RunTask(int task)
    {
        // Task t owns tiles [t*tiles/tasks, (t+1)*tiles/tasks): balanced to within one tile.
        int first = (int)((long)task * _tiles / _tasks) * _tileSize;
        int end = (int)((long)(task + 1) * _tiles / _tasks) * _tileSize;
        if (_splitRows)
        {
            end = Math.Min(end, _m);
            float* a = _transA ? _a + first : _a + (long)first * _lda;
            GemmBlocked.Run(_isa, _transA, _transB, end - first, _n, _k, a, _lda, _b, _ldb,
                _c + (long)first * _ldc, _ldc, _accumulate);
        }
        else
        {
            end = Math.Min(end, _n);
            float* b = _transB ? _b + (long)first * _ldb : _b + first;
            GemmBlocked.Run(_isa, _transA, _transB, _m, end - first, _k, _a, _lda, b, _ldb,
                _c + first, _ldc, _accumulate);
        }
    }
}
