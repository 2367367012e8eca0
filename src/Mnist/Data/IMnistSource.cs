namespace Mnist.Data;

/// <summary>A place the MNIST files can be obtained from.</summary>
public interface IMnistSource
{
    /// <summary>Human-readable name used in progress and error messages (e.g. a URL).</summary>
    string Name { get; }

    /// <summary>
    /// Installs the given files into <paramref name="directory"/> (via <see cref="FileInstaller"/>).
    /// Throws on failure; files installed before the failure stay, so a later source only needs the rest.
    /// </summary>
    void Fetch(IReadOnlyList<MnistFile> files, string directory, Action<string>? progress);
}
