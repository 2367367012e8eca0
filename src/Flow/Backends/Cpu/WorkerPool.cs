namespace Flow.Backends.Cpu;

// Placeholder until the persistent pool lands: runs inline.
public sealed class WorkerPool(int threads) : IDisposable
{
    public int Threads { get; } = threads;
    public void For(int count, Action<int> body) { for (int i = 0; i < count; i++) body(i); }
    public void Dispose() { }
}
