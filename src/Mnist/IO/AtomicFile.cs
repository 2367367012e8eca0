using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Mnist.IO;

/// <summary>
/// Writes a file under a temporary name in the same folder and renames it into place, so a reader
/// (or a crash half-way) never sees a half-written model, picture or report. The temporary name is
/// <c>.&lt;name&gt;.&lt;32 hex digits&gt;.tmp</c>: removed on every exit path the process controls (an exception,
/// a normal exit, SIGTERM) and, when a kill -9 leaves one behind, swept by <see cref="RemoveStaleTemporaries"/>.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>How old a temporary must be to count as left by a killed process rather than as a write in
    /// progress (writing the largest model takes well under a second).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    private static readonly ConcurrentDictionary<string, byte> InFlight = new();

    static AtomicFile()
    {
        // Runs on a normal exit and on SIGTERM, which .NET turns into an orderly shutdown.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var temp in InFlight.Keys) TryDelete(temp);
        };
    }

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        // Same folder: the rename stays on one file system and so replaces the target in one step.
        string temp = TemporaryName(full);
        InFlight[temp] = 0;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
            }
            // On disk before the rename, so a crash leaves the old file or the new one, never a hole. A handle
            // of its own: writers may close the stream they were given. fsync works on the file, not the handle.
            using (var sync = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) sync.Flush(flushToDisk: true);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
            InFlight.TryRemove(temp, out _);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s); w.Write(text); });

    /// <summary>
    /// Checks, before any long work, that <see cref="Write"/> will be able to write <paramref name="path"/>:
    /// its folder is made, and a temporary is created there and removed.
    /// </summary>
    /// <exception cref="IOException">The path is a folder, or its folder cannot be made or written; the message names the path.</exception>
    public static void CheckWritable(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"{path} is a folder, not a file");
        string folder = Path.GetDirectoryName(full)!;
        string temp = TemporaryName(full);
        try
        {
            Directory.CreateDirectory(folder);
            new FileStream(temp, FileMode.CreateNew, FileAccess.Write).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET's messages name the temporary; the user named the file, so say it in their terms.
            string why = e switch
            {
                UnauthorizedAccessException => $"no permission to create files in {folder}",
                FileNotFoundException or DirectoryNotFoundException => $"files cannot be created in {folder}",
                _ => e.Message.Replace(temp, full),
            };
            throw new IOException($"cannot write {path}: {why}", e);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Deletes temporaries of our naming in <paramref name="folder"/> older than <see cref="StaleAfter"/>.</summary>
    public static void RemoveStaleTemporaries(string folder)
    {
        if (!Directory.Exists(folder)) return;
        var cutoff = DateTime.UtcNow - StaleAfter;
        foreach (var path in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            try
            {
                if (TemporaryPattern().IsMatch(Path.GetFileName(path)) && File.GetLastWriteTimeUtc(path) < cutoff) File.Delete(path);
            }
            catch (IOException) { } // gone already, or held by someone: it is only litter
            catch (UnauthorizedAccessException) { }
        }
    }

    private static string TemporaryName(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryPattern();

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
