using Flow.Backends;

namespace Flow;

/// <summary>
/// The temporaries of all a session's plans. A temporary lives within one run, and a session runs one plan at a
/// time, so every plan draws on the same buffers: the session holds about what its largest plan needs at once,
/// not the sum over its plans (the initialiser, the training step, the measured batch, each evaluation size).
/// </summary>
internal sealed class TemporaryPool(IBackend backend) : IDisposable
{
    private readonly List<IDeviceBuffer> _buffers = [];

    /// <summary>Every buffer of the pool: all free at the start of a plan's allocation.</summary>
    public IReadOnlyList<IDeviceBuffer> Buffers => _buffers;

    public long Bytes => _buffers.Sum(b => b.Bytes);

    /// <summary>A new buffer, kept in the pool for later plans.</summary>
    public IDeviceBuffer Allocate(long bytes)
    {
        var buffer = backend.Allocate(Math.Max(1, bytes));
        _buffers.Add(buffer);
        return buffer;
    }

    public void Dispose()
    {
        foreach (var b in _buffers) b.Dispose();
        _buffers.Clear();
    }
}
