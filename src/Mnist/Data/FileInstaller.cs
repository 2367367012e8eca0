using System.Security.Cryptography;

namespace Mnist.Data;

/// <summary>
/// Writes one MNIST file into the data folder atomically: the content goes to a temporary name in
/// the same folder, is hashed while it is written, and is renamed to its canonical name only when
/// the checksum holds. An interrupted or corrupt download therefore never leaves a half file behind.
/// </summary>
public static class FileInstaller
{
    public static void Install(Stream content, MnistFile file, string directory, string sourceName)
    {
        Directory.CreateDirectory(directory);
        var finalPath = Path.Combine(directory, file.Name);
        var tempPath = Path.Combine(directory, $"{file.Name}.{Guid.NewGuid():N}.part");
        try
        {
            string actual;
            using (var output = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = content.Read(buffer)) > 0)
                {
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
