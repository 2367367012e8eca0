namespace Mnist.Web;

/// <summary>
/// The one seam between the server and the picture preprocessing of <c>mnist predict</c>: an encoded image
/// (PNG or JPEG) becomes the 28×28 input the model sees, as 784 values in [0, 1], white ink on black.
/// </summary>
public interface IDigitInput
{
    /// <exception cref="BadRequestException">The bytes are not an image this can read.</exception>
    float[] FromImage(byte[] encoded);
}

/// <summary>What the client did wrong: answered 4xx with a JSON <c>error</c>, never a crash.</summary>
public sealed class BadRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
