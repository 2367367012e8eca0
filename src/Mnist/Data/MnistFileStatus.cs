namespace Mnist.Data;

/// <summary>What was found on disk for one canonical file (for the <c>mnist data</c> report).</summary>
/// <param name="Path">The file found (NAME.gz or NAME), or where the raw file belongs when neither is there.</param>
/// <param name="Bytes">File length, or 0 when the file is missing.</param>
/// <param name="ActualSha256">Lower-case hex SHA-256 of the file, or null when it is missing or unreadable.</param>
/// <param name="Problem">Why the file could not be checked (a directory, a FIFO, corrupt gzip), or null.</param>
public sealed record MnistFileStatus(string Name, string Path, bool Exists, long Bytes, string? ActualSha256, bool ChecksumOk,
    string? Problem = null);
