using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Flow.Backends.Cpu;

/// <summary>
/// A small persistent thread pool for data-parallel kernels. The calling thread takes part as worker 0,
/// so a pool of N threads owns N - 1 background threads ("flow-worker-1" ...).
/// <see cref="For"/> hands out indices dynamically and blocks until every index has run; it allocates
/// nothing, so callers should cache their delegate. Idle workers spin briefly before blocking, which keeps
/// back-to-back calls of a few tens of microseconds cheap.
/// One For runs at a time: a For issued while another is in flight (nested inside a body, or from a second
/// thread) runs its indices inline on the calling thread instead of waiting, so misuse cannot deadlock.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    // How long an idle worker polls for new work before it blocks on the monitor.
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

    private readonly Thread[] _threads;
    private readonly object _gate = new();

    // The current call: generation in the high 32 bits, next unclaimed index in the low 32 bits.
    // A worker claims an index with a CAS that also checks the generation, so a worker waking late can
    // never claim (or run) an index of a later call with an earlier call's body; a new call first closes the old one
    // (index int.MaxValue) before it changes _count, so that no late worker can claim past the old count.
    private long _work;
    private Action<int>? _body;
    private int _count;
    private int _unfinished;
    private Exception? _error;
    private int _inFlight;
    private volatile bool _disposed;
    private readonly object _doneGate = new();

    public WorkerPool() : this(Environment.ProcessorCount) { }

    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _threads = new Thread[threads - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"flow-worker-{i + 1}" };
            _threads[i].Start();
        }
    }

    public int Threads { get; }

    /// <summary>Runs <paramref name="body"/>(i) for every i in [0, count) and returns when all are done.
    /// The first exception thrown by a body is rethrown here; indices not yet started are then skipped.</summary>
    public void For(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count <= 0) return;
        if (count == 1 || Threads == 1 || Interlocked.CompareExchange(ref _inFlight, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        try
        {
            // Close the previous call first: a worker that is still looking at it compares the index it saw with
            // _count, and once _count is this call's it could otherwise claim a stale index of the old
            // generation, run this call's body with it and count it against this call's _unfinished.
            long previous = Volatile.Read(ref _work);
            Interlocked.Exchange(ref _work, (previous & ~0xFFFF_FFFFL) | int.MaxValue);
            _body = body;
            _count = count;
            _error = null;
            _unfinished = count;
            int generation = GenerationOf(previous) + 1; // wraps; only compared for equality
            lock (_gate)
            {
                Volatile.Write(ref _work, (long)generation << 32);
                Monitor.PulseAll(_gate);
            }
            RunClaims(generation);
            WaitUntilFinished();
            _body = null;
            if (_error is { } error)
            {
                _error = null;
                ExceptionDispatchInfo.Throw(error);
            }
        }
        finally
        {
            Volatile.Write(ref _inFlight, 0);
        }
    }

    // The count is checked under the lock that the finishing worker takes to pulse, so no wake-up is lost; a late
    // pulse meant for an earlier call only makes the wait look at the count once more.
    private void WaitUntilFinished() => SpinThenBlock(new Finished(), _doneGate);

    private static int GenerationOf(long work) => (int)(work >> 32);

    private void RunClaims(int generation)
    {
        while (true)
        {
            long seen = Volatile.Read(ref _work);
            if (GenerationOf(seen) != generation || (int)seen >= _count) return;
            if (Interlocked.CompareExchange(ref _work, seen + 1, seen) != seen) continue;
            try
            {
                if (Volatile.Read(ref _error) == null) _body!((int)seen);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            if (Interlocked.Decrement(ref _unfinished) == 0)
                lock (_doneGate) Monitor.PulseAll(_doneGate);
        }
    }

    private void WorkerLoop()
    {
        int lastGeneration = 0;
        while (true)
        {
            int generation = WaitForNewGeneration(lastGeneration);
            if (_disposed) return;
            RunClaims(generation);
            lastGeneration = generation;
        }
    }

    private int WaitForNewGeneration(int lastGeneration)
    {
        SpinThenBlock(new NewGeneration(lastGeneration), _gate);
        return GenerationOf(Volatile.Read(ref _work));
    }

    // Spins briefly (a step's kernels come tens of microseconds apart), then blocks on the monitor of gate until
    // the condition holds; whoever makes it hold pulses that monitor while holding it.
    private void SpinThenBlock<TCondition>(TCondition condition, object gate) where TCondition : struct, IWaitCondition
    {
        long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
        var spinner = new SpinWait();
        while (!condition.Holds(this))
        {
            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            lock (gate)
            {
                while (!condition.Holds(this)) Monitor.Wait(gate);
            }
        }
    }

    private interface IWaitCondition
    {
        bool Holds(WorkerPool pool);
    }

    private readonly struct Finished : IWaitCondition
    {
        public bool Holds(WorkerPool pool) => Volatile.Read(ref pool._unfinished) == 0;
    }

    private readonly struct NewGeneration(int last) : IWaitCondition
    {
        public bool Holds(WorkerPool pool) => GenerationOf(Volatile.Read(ref pool._work)) != last || pool._disposed;
    }

    public void Dispose()
    {
        if (_disposed) return;
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var thread in _threads) thread.Join();
    }
}
