using Mnist.Data;

namespace Mnist.Tests.Data;

/// <summary>
/// A fact that needs Debian's dataset-fashion-mnist (CI installs it in .ci/run); skipped, not failed, where its
/// folder does not hold the four files.
/// </summary>
public sealed class FashionFactAttribute : FactAttribute
{
    public FashionFactAttribute()
    {
        if (!Installed) Skip = $"Debian's dataset-fashion-mnist is not installed ({KnownDataSets.DebianFashionFolder})";
    }

    public static bool Installed =>
        KnownDataSets.Fashion.Files.All(f => File.Exists(Path.Combine(KnownDataSets.DebianFashionFolder, f.GzipName)));
}
