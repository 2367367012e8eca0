using Mnist.Predict;

namespace Mnist.Web;

/// <summary>
/// An uploaded picture or the draw page's canvas, preprocessed exactly as <c>mnist predict</c> does (ink detected,
/// cropped to its bounding box, scaled into 20×20, centred by its centre of mass in 28×28).
/// </summary>
public sealed class MnistPictureInput : IDigitInput
{
    public float[] FromImage(byte[] encoded)
    {
        try
        {
            using var body = new MemoryStream(encoded, writable: false);
            return MnistPreprocessor.Preprocess(PictureReader.Read(body));
        }
        catch (PictureException e)
        {
            throw new BadRequestException(400, $"image: {e.Message}");
        }
    }
}
