namespace Mnist.Data;

/// <summary>The fixed geometry of MNIST examples.</summary>
public static class MnistLayout
{
    public const int ImageHeight = 28;
    public const int ImageWidth = 28;
    public const int ImagePixels = ImageHeight * ImageWidth;
    public const int NumClasses = 10;
}
