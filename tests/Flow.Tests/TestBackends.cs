using Flow.Backends;

namespace Flow.Tests;

/// <summary>One configuration the op tests run on: a registered backend and its thread count.</summary>
public sealed record BackendCase(string Device, int Threads)
{
    public IBackend Create() => BackendCatalog.Builtin.Create(Device, new BackendOptions(Threads));

    public override string ToString() => $"{Device} ×{Threads}";
}

/// <summary>
/// The fixture the op tests share: every registered backend, at 1 and 2 threads (parallel kernels split
/// work only from 2 on). A test runs its graph on each and names the case in its failure.
/// </summary>
internal static class TestBackends
{
    public static IReadOnlyList<BackendCase> All { get; } =
        [.. BackendCatalog.Builtin.Names.SelectMany(d => new[] { new BackendCase(d, 1), new BackendCase(d, 2) })];

    /// <summary>Runs <paramref name="test"/> with a fresh session over <paramref name="g"/> on every case.</summary>
    public static void Each(Graph g, Action<Session, BackendCase> test)
    {
        foreach (var c in All)
        {
            using var backend = c.Create();
            using var session = new Session(g, backend);
            test(session, c);
        }
    }
}
