namespace Mnist.Data;

/// <summary>
/// One canonical IDX file of a data set: its name on disk (raw; the gzipped copy adds ".gz"), the SHA-256 and
/// length of its raw bytes, and the SHA-256 of the gzipped copies known to be genuine (the published file, and
/// Debian's recompressed one), so a .gz file in a data folder can be verified without unpacking it.
/// </summary>
/// <param name="Bytes">Length of the raw file, or null when unknown (tests' synthetic files): downloads are capped near it.</param>
public sealed record MnistFile(string Name, string Sha256, long? Bytes = null, IReadOnlyList<string>? GzipSha256 = null)
{
    public string GzipName => Name + ".gz";

    public bool IsKnownGzip(string sha256) =>
        GzipSha256?.Contains(sha256, StringComparer.OrdinalIgnoreCase) == true;
}
