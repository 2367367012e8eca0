namespace Mnist.Data;

/// <summary>What was found on disk for one canonical file (for the <c>mnist data</c> report).</summary>
/// <param name="Bytes">File length, or 0 when the file is missing.</param>
/// <param name="ActualSha256">Lower-case hex SHA-256 of the file, or null when it is missing.</param>
public sealed record MnistFileStatus(string Name, string Path, bool Exists, long Bytes, string? ActualSha256, bool ChecksumOk);
