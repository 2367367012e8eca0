using Flow.Backends.Cpu;

namespace Flow.Tests.Cpu;

public class WorkerPoolTests
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 1000)]
    [InlineData(4, 777)]
    public void EveryIndexRunsExactlyOnce_RepeatedCalls(int threads, int count)
    {
        using var pool = new WorkerPool(threads);
        var hits = new int[count];
        Action<int> body = i => Interlocked.Increment(ref hits[i]);
        for (int call = 0; call < 200; call++) pool.For(count, body);
        Assert.All(hits, h => Assert.Equal(200, h));
    }

    // Short calls whose counts go up and down: a worker still finishing one call must never claim an index of it
    // once the next, larger call has started, nor run the new body with it (that once made For return early,
    // before every index had run, and later hang on a count that went below zero).
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void CallsOfChangingSizeEachRunTheirIndicesExactlyOnce(int threads)
    {
        using var pool = new WorkerPool(threads);
        int[] counts = [2, 9, 3, 17, 1, 5, 64, 2];
        var hits = new int[64];
        int count = 0, wrong = 0;
        Action<int> body = i =>
        {
            if (i >= count) Interlocked.Increment(ref wrong);
            else Interlocked.Increment(ref hits[i]);
        };
        for (int call = 0; call < 20_000; call++)
        {
            count = counts[call % counts.Length];
            pool.For(count, body);
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(1, Volatile.Read(ref hits[i]));
                hits[i] = 0;
            }
        }
        Assert.Equal(0, wrong);
    }

    [Fact]
    public void DefaultSizeIsProcessorCount()
    {
        using var pool = new WorkerPool();
        Assert.Equal(Environment.ProcessorCount, pool.Threads);
    }

    [Fact]
    public void BodyRunsOnCallerAndNamedBackgroundWorkers()
    {
        using var pool = new WorkerPool(2);
        var names = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var caller = Thread.CurrentThread;
        pool.For(64, _ =>
        {
            var thread = Thread.CurrentThread;
            names[thread == caller ? "caller" : $"{thread.Name}/{thread.IsBackground}"] = true;
            Thread.Sleep(1);
        });
        Assert.Contains("caller", names.Keys);
        Assert.All(names.Keys, name => Assert.True(name == "caller" || name == "flow-worker-1/True", name));
    }

    [Fact]
    public void ExceptionInBodyIsRethrownOnCaller_AndPoolStaysUsable()
    {
        using var pool = new WorkerPool(2);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var error = Assert.Throws<InvalidOperationException>(() =>
                pool.For(100, i => { if (i == 37) throw new InvalidOperationException("boom"); }));
            Assert.Equal("boom", error.Message);
        }
        int sum = 0;
        pool.For(100, i => Interlocked.Add(ref sum, i));
        Assert.Equal(4950, sum);
    }

    [Fact]
    public void NestedForRunsInlineWithoutDeadlock()
    {
        using var pool = new WorkerPool(2);
        var hits = new int[8 * 50];
        pool.For(8, outer => pool.For(50, inner => Interlocked.Increment(ref hits[outer * 50 + inner])));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ConcurrentCallersFromTwoThreadsBothComplete()
    {
        using var pool = new WorkerPool(2);
        var hits = new int[2, 500];
        Parallel.For(0, 2, caller =>
        {
            for (int call = 0; call < 100; call++) pool.For(500, i => Interlocked.Increment(ref hits[caller, i]));
        });
        foreach (int h in hits) Assert.Equal(100, h);
    }

    [Fact]
    public void ForAllocatesNothingWithACachedDelegate()
    {
        using var pool = new WorkerPool(2);
        long sum = 0;
        Action<int> body = i => Interlocked.Add(ref sum, i);
        pool.For(1000, body);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 100; call++) pool.For(1000, body);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(101L * 499_500, sum);
    }

    [Fact]
    public void ForAfterDisposeThrows()
    {
        var pool = new WorkerPool(2);
        pool.Dispose();
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.For(10, _ => { }));
    }
}
