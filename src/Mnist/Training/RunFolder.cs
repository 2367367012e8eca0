using System.Collections.Concurrent;
using Mnist.IO;

namespace Mnist.Training;

/// <summary>
/// Where a training run keeps its model, metrics, pictures and report. The folder is created when it
/// is chosen, atomically, so two runs started in the same second get two folders; disposing removes it
/// again if this run made it and left nothing in it (a run that failed before writing anything), and so
/// does the process's exit while the run is still going (SIGINT, SIGTERM: see Mnist.Cli's signal handling).
/// </summary>
public sealed class RunFolder : IDisposable
{
    private static readonly ConcurrentDictionary<RunFolder, byte> Open = new();
    private readonly bool _created;

    static RunFolder()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var folder in Open.Keys) folder.RemoveIfEmpty();
        };
    }

    private RunFolder(string path, bool created)
    {
        Path = path;
        _created = created;
        if (created) Open[this] = 0;
    }

    public string Path { get; }

    /// <summary>
    /// The folder asked for (created if missing; refused if it already holds files, unless
    /// <paramref name="overwrite"/>), or a new <c>&lt;parent&gt;/&lt;model&gt;-&lt;yyyyMMdd-HHmmss&gt;</c> (parent: runs/
    /// under the current directory) with "-2", "-3"... added when that name is taken. Temporaries that killed
    /// runs left in the parent's run folders are swept on the way.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be made, is a file, or is not empty; the message names it.</exception>
    public static RunFolder Create(string? requested, string model, DateTime now, bool overwrite = false, string parent = "runs")
    {
        if (requested is not null) return Requested(requested, overwrite);
        Directory.CreateDirectory(parent);
        foreach (var run in Directory.EnumerateDirectories(parent)) AtomicFile.RemoveStaleTemporaries(run);
        string stem = System.IO.Path.Combine(parent, $"{model}-{now:yyyyMMdd-HHmmss}");
        for (int n = 1; ; n++)
        {
            string folder = n == 1 ? stem : $"{stem}-{n}";
            if (NewDirectory.TryCreate(folder)) return new RunFolder(folder, created: true);
        }
    }

    private static RunFolder Requested(string path, bool overwrite)
    {
        if (File.Exists(path)) throw new IOException($"run folder {path} is a file");
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } above) Directory.CreateDirectory(above);
        if (NewDirectory.TryCreate(path)) return new RunFolder(path, created: true);
        AtomicFile.RemoveStaleTemporaries(path);
        if (!overwrite && Directory.EnumerateFileSystemEntries(path).Any())
            throw new IOException($"run folder {path} already holds files; pass --overwrite to replace them, or choose another --out");
        return new RunFolder(path, created: false);
    }

    public void Dispose()
    {
        RemoveIfEmpty();
        Open.TryRemove(this, out _);
    }

    private void RemoveIfEmpty()
    {
        try
        {
            if (_created && Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any()) Directory.Delete(Path);
        }
        catch (IOException) { } // someone put something there meanwhile: it is theirs to keep
        catch (UnauthorizedAccessException) { }
    }
}
