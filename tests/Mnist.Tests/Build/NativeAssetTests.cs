using System.Runtime.InteropServices;
using System.Text.Json;

namespace Mnist.Tests.Build;

/// <summary>
/// Directory.Build.targets keeps SkiaSharp's and HarfBuzz's native libraries to the platform built for:
/// the build's deps.json (written afresh by every build, unlike the runtimes/ folder, which keeps stale
/// files) lists only those of this machine's platform.
/// </summary>
public sealed class NativeAssetTests
{
    [Theory]
    [InlineData("Mnist.Tests.deps.json")]
    [InlineData("Mnist.Cli.deps.json")]
    public void BuildCarriesNativeLibrariesOfThisPlatformOnly(string depsFile)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, depsFile)));
        var rids = deps.RootElement.GetProperty("targets").EnumerateObject()
            .SelectMany(target => target.Value.EnumerateObject())
            .Where(library => library.Value.TryGetProperty("runtimeTargets", out _))
            .SelectMany(library => library.Value.GetProperty("runtimeTargets").EnumerateObject())
            .Select(asset => asset.Value.GetProperty("rid").GetString()!)
            .Distinct()
            .ToList();
        string platform = RuntimeInformation.RuntimeIdentifier;
        // SkiaSharp's and HarfBuzz's libraries, both for this platform (or the family it belongs to, e.g. osx).
        Assert.NotEmpty(rids);
        Assert.All(rids, rid => Assert.True(platform == rid || platform.StartsWith(rid + "-"), $"{depsFile} lists native assets for {rid}, not {platform}"));
    }
}
