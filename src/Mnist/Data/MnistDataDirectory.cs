namespace Mnist.Data;

/// <summary>
/// Decides where a data set's files live: an explicit directory wins, then (for MNIST) <c>MNIST_DATA_DIR</c>,
/// then a per-user cache folder so every tool and test run shares one download.
/// </summary>
public static class MnistDataDirectory
{
    public const string EnvironmentVariable = "MNIST_DATA_DIR";

    public static string Resolve(string? explicitDirectory = null) => Resolve(explicitDirectory, KnownDataSets.Mnist);

    public static string Resolve(string? explicitDirectory, KnownDataSet dataSet)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var fromEnvironment = dataSet == KnownDataSets.Mnist ? Environment.GetEnvironmentVariable(EnvironmentVariable) : null;
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return Path.Combine(CacheRoot(), dataSet.CacheFolderName);
    }

    /// <summary>The default MNIST folder: <see cref="CacheRoot"/>/mnist.</summary>
    public static string DefaultCache() => Path.Combine(CacheRoot(), KnownDataSets.Mnist.CacheFolderName);

    /// <summary>
    /// The user cache as the XDG base-directory spec says: $XDG_CACHE_HOME if it is an absolute path (the spec
    /// says to ignore a relative one), else $HOME/.cache; LocalApplicationData on Windows.
    /// </summary>
    /// <exception cref="MnistDataException">Neither gives an absolute path: the data folder would land wherever the command runs.</exception>
    public static string CacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg)) return xdg;
        if (OperatingSystem.IsWindows())
        {
            return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }
        var home = Environment.GetEnvironmentVariable("HOME");
        if (!string.IsNullOrEmpty(home) && Path.IsPathFullyQualified(home)) return Path.Combine(home, ".cache");
        throw new MnistDataException(
            $"no cache folder for the data: neither $XDG_CACHE_HOME nor $HOME is an absolute path (HOME is {(home is null ? "unset" : $"'{home}'")}); " +
            $"pass --data-dir or set {EnvironmentVariable}");
    }
}
