using Flow;
using Flow.Backends;

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
}
