namespace Mnist.Data;

/// <summary>
/// Decides where the MNIST files live: an explicit directory wins, then <c>MNIST_DATA_DIR</c>,
/// then a per-user cache folder so every tool and test run shares one download.
/// </summary>
public static class MnistDataDirectory
{
    public const string EnvironmentVariable = "MNIST_DATA_DIR";

    public static string Resolve(string? explicitDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return DefaultCache();
    }

    /// <summary>$XDG_CACHE_HOME/mnist, else LocalApplicationData/mnist on Windows, else ~/.cache/mnist.</summary>
    public static string DefaultCache()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg)) return Path.Combine(xdg, "mnist");
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "mnist");
        }
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mnist");
    }
}
