namespace Mnist.Data;

/// <summary>How raw 0..255 pixels become floats.</summary>
public enum PixelScaling
{
    /// <summary>v / 255, giving [0, 1]; what TensorFlow's read_data_sets does.</summary>
    ZeroToOne,

    /// <summary>(v − 127.5) / 255, giving [−0.5, 0.5]; what the LeNet convolutional example uses.</summary>
    MinusHalfToHalf,
}
