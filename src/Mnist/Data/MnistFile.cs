namespace Mnist.Data;

/// <summary>One canonical MNIST file: its name on disk (raw, uncompressed) and the SHA-256 of that raw content.</summary>
public sealed record MnistFile(string Name, string Sha256);
