using System.IO.Compression;
using System.Security.Cryptography;
using Mnist.IO;

namespace Mnist.Data;

/// <summary>SHA-256 of files, streamed so that large files never sit in memory twice.</summary>
public static class FileChecksum
{
    public static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Checks the data folder's copy of <paramref name="file"/> (NAME.gz preferred, else NAME). A .gz file holds
    /// when its own SHA-256 is a known one, or else when what it unpacks to has the raw file's SHA-256 (a copy
    /// recompressed elsewhere). Non-regular files are reported, never opened.
    /// </summary>
    public static MnistFileStatus Check(MnistFile file, string directory)
    {
        var path = DataFolder.PathOf(directory, file);
        if (!Path.Exists(path)) return new MnistFileStatus(file.Name, path, false, 0, null, false);
        if (RegularFile.Problem(path) is string problem) return new MnistFileStatus(file.Name, path, true, 0, null, false, problem);
        long bytes = new FileInfo(path).Length;
        var actual = Sha256Hex(path);
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return new MnistFileStatus(file.Name, path, true, bytes, actual, string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase));
        }
        if (file.IsKnownGzip(actual)) return new MnistFileStatus(file.Name, path, true, bytes, actual, true);
        try
        {
            bool ok = string.Equals(UnpackedSha256Hex(path, file.Bytes), file.Sha256, StringComparison.OrdinalIgnoreCase);
            return new MnistFileStatus(file.Name, path, true, bytes, actual, ok);
        }
        catch (InvalidDataException e)
        {
            return new MnistFileStatus(file.Name, path, true, bytes, actual, false, $"corrupt gzip data: {e.Message}");
        }
    }

    /// <summary>SHA-256 of what a gzip file unpacks to; stops one byte past <paramref name="expectedBytes"/> (a bomb cannot make it read on).</summary>
    private static string UnpackedSha256Hex(string path, long? expectedBytes)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0, limit = expectedBytes + 1 ?? long.MaxValue;
        int n;
        while (total < limit && (n = gzip.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            total += n;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
