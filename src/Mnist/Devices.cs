using Flow;
using Flow.Backends;
using Flow.Backends.Cpu;

namespace Mnist;

/// <summary>
/// The devices the application runs models on (<c>--device</c>, <see cref="Models.TrainingSettings.Device"/>):
/// its composition root, the one place that chooses backends. A second backend is added to <see cref="Catalog"/>.
/// </summary>
public static class Devices
{
    public static BackendCatalog Catalog { get; } = BackendCatalog.Builtin;

    public static IReadOnlyList<string> Names => Catalog.Names;

    public static string Default => Catalog.Default;

    /// <summary>A session over <paramref name="graph"/> on a new backend of that name, which the session owns.</summary>
    /// <exception cref="UnknownBackendException">No backend has that name.</exception>
    public static Session OpenSession(Graph graph, string device, int? threads) =>
        new(graph, Catalog.Create(device, new BackendOptions(threads)), ownsBackend: true);

    /// <summary>The session's own worker pool, for host-side work of a step (augmentation) that should share the
    /// kernels' threads rather than compete with them; null on a backend without one (the work then runs inline).</summary>
    public static WorkerPool? HostPool(Session session) => (session.Backend as CpuBackend)?.Pool;
}
