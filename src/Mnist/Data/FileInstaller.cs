using System.Security.Cryptography;
using Mnist.IO;

namespace Mnist.Data;

/// <summary>
/// Writes one data file into the data folder atomically: the content goes to a temporary name in
/// the same folder, is hashed while it is written, and is renamed to its canonical name only when
/// the checksum holds. An interrupted or corrupt download therefore never leaves a half file behind,
/// and two processes installing the same file both end with the same verified file (the rename replaces
/// in one step, and both contents have the same checksum).
/// </summary>
public static class FileInstaller
{
    /// <summary>How old a temporary file must be before it counts as left behind by a killed process rather than
    /// as another process's download in progress (a download takes seconds).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    /// <summary>How far past its known size a download may run before it is cut off as not the file we want.</summary>
    public const long SizeSlack = 1 << 16;

    /// <summary>Deletes the temporary files of <paramref name="files"/> that a process killed mid-download left behind.</summary>
    public static void RemoveStaleTemporaries(string directory, IEnumerable<MnistFile> files)
    {
        if (!Directory.Exists(directory)) return;
        var cutoff = DateTime.UtcNow - StaleAfter;
        foreach (var file in files)
            foreach (var path in Directory.EnumerateFiles(directory, $"{file.Name}.*.part"))
            {
                try
                {
                    if (File.GetLastWriteTimeUtc(path) < cutoff) File.Delete(path);
                }
                catch (IOException) { } // gone already, or held by someone: it is only litter
                catch (UnauthorizedAccessException) { }
            }
    }

    public static void Install(Stream content, MnistFile file, string directory, string sourceName)
    {
        Directory.CreateDirectory(directory);
        var finalPath = Path.Combine(directory, file.Name);
        var tempPath = Path.Combine(directory, $"{file.Name}.{Guid.NewGuid():N}.part");
        long limit = file.Bytes + SizeSlack ?? long.MaxValue;
        using var onSignal = InterruptCleanup.DeleteOnSignal(tempPath);
        try
        {
            string actual;
            using (var output = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int n;
                while ((n = content.Read(buffer)) > 0)
                {
                    total += n;
                    if (total > limit)
                    {
                        throw new MnistDataException($"{file.Name} from {sourceName}: more than {limit} bytes, but the file has {file.Bytes}");
                    }
                    hash.AppendData(buffer, 0, n);
                    output.Write(buffer, 0, n);
                }
                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new MnistDataException(
                    $"{file.Name} from {sourceName}: SHA-256 mismatch: expected {file.Sha256}, got {actual}");
            }
            File.Move(tempPath, finalPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(tempPath)) File.Delete(tempPath);
        }
    }
}
