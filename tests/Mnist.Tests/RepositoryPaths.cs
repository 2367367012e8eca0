namespace Mnist.Tests;

/// <summary>Files of the repository the tests were built from (found by walking up from the test binaries).</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mnist.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Mnist.slnx above {AppContext.BaseDirectory}");
    }
}
