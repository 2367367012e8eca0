using Flow.Backends;

namespace Flow.Tests;

/// <summary>Backends by name: the built-in catalog, adding one, and an unknown name.</summary>
public class BackendCatalogTests
{
    [Fact]
    public void TheBuiltInCatalogMakesCpuBackendsWithTheGivenThreads()
    {
        Assert.Equal(["cpu"], BackendCatalog.Builtin.Names);
        using var b = BackendCatalog.Builtin.Create("CPU", new BackendOptions(Threads: 1));
        Assert.Equal("cpu", b.Name);
        Assert.Equal(1, ((Backends.Cpu.CpuBackend)b).Pool.Threads);
    }

    [Fact]
    public void AnUnknownNameListsTheKnownOnes()
    {
        var ex = Assert.Throws<UnknownBackendException>(() => BackendCatalog.Builtin.Create("gpu"));
        Assert.Equal("unknown device 'gpu' (known: cpu)", ex.Message);
    }

    [Fact]
    public void WithAddsABackendWithoutChangingTheOriginal()
    {
        var made = new List<BackendOptions>();
        var catalog = BackendCatalog.Builtin.With("test", o => { made.Add(o); return BackendCatalog.Builtin.Create("cpu", o); });
        Assert.Equal(["cpu", "test"], catalog.Names);
        Assert.Equal(["cpu"], BackendCatalog.Builtin.Names);
        using (catalog.Create("test", new BackendOptions(2))) { }
        Assert.Equal([new BackendOptions(2)], made);
    }
}
