using System.Security.Cryptography;

namespace Mnist.Data;

/// <summary>SHA-256 of files, streamed so that large files never sit in memory twice.</summary>
public static class FileChecksum
{
    public static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static MnistFileStatus Check(MnistFile file, string directory)
    {
        var path = Path.Combine(directory, file.Name);
        if (!File.Exists(path)) return new MnistFileStatus(file.Name, path, false, 0, null, false);
        var actual = Sha256Hex(path);
        bool ok = string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase);
        return new MnistFileStatus(file.Name, path, true, new FileInfo(path).Length, actual, ok);
    }
}
