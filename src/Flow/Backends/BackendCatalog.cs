using Flow.Backends.Cpu;

namespace Flow.Backends;

/// <summary>What every backend is created with.</summary>
/// <param name="Threads">Host worker threads for the kernels (null: one per core).</param>
public sealed record BackendOptions(int? Threads = null);

/// <summary>A name that no registered backend answers to.</summary>
public sealed class UnknownBackendException(string message) : ArgumentException(message);

/// <summary>
/// Backends by name (<c>--device cpu</c>): the composition root where backends are constructed. Immutable:
/// a program with a second backend adds it with <see cref="With"/> and passes that catalog on.
/// </summary>
public sealed class BackendCatalog
{
    private readonly (string Name, Func<BackendOptions, IBackend> Create)[] _entries;

    private BackendCatalog((string, Func<BackendOptions, IBackend>)[] entries) => _entries = entries;

    /// <summary>The backends Flow itself provides: "cpu".</summary>
    public static BackendCatalog Builtin { get; } = new([("cpu", o => new CpuBackend(o.Threads))]);

    /// <summary>The registered names, in registration order (the first is the default).</summary>
    public IReadOnlyList<string> Names => _entries.Select(e => e.Name).ToArray();

    public string Default => _entries[0].Name;

    /// <summary>This catalog plus (or with a replaced) backend of the given name.</summary>
    public BackendCatalog With(string name, Func<BackendOptions, IBackend> create) =>
        new([.. _entries.Where(e => e.Name != name), (name, create)]);

    /// <summary>A new backend of the given name (case-insensitive); the caller owns and disposes it.</summary>
    public IBackend Create(string name, BackendOptions? options = null)
    {
        foreach (var (n, create) in _entries)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return create(options ?? new());
        throw new UnknownBackendException($"unknown device '{name}' (known: {string.Join(", ", Names)})");
    }
}
