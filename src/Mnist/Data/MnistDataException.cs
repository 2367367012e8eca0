namespace Mnist.Data;

/// <summary>
/// A problem with the MNIST files themselves: missing, corrupt, truncated or unobtainable.
/// The message always names the file (or lists the sources tried) so the user can act on it.
/// </summary>
public sealed class MnistDataException : Exception
{
    public MnistDataException(string message) : base(message) { }

    public MnistDataException(string message, Exception inner) : base(message, inner) { }
}
