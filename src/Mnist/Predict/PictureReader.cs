using SkiaSharp;

namespace Mnist.Predict;

/// <summary>Decodes one PNG, JPEG, BMP or WebP file (SkiaSharp) into an <see cref="InkImage"/>; the decoded pixels live only for the call.</summary>
public static class PictureReader
{
    public const int MaxSide = 8192;

    /// <exception cref="PictureException">Not an image, empty, larger than <see cref="MaxSide"/>, unreadable or blank.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static InkImage Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>An encoded picture from a seekable stream (a file, or a request body held in memory).</summary>
    /// <exception cref="PictureException">Not an image, empty, larger than <see cref="MaxSide"/>, unreadable or blank.</exception>
    public static InkImage Read(Stream stream)
    {
        if (stream.Length == 0) throw new PictureException("the file is empty");
        using var codec = SKCodec.Create(stream)
            ?? throw new PictureException("not an image that can be read (PNG, JPEG, BMP or WebP)");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0) throw new PictureException($"the image is empty ({width}×{height} pixels)");
        if (width > MaxSide || height > MaxSide)
            throw new PictureException($"the image is {width}×{height} pixels, over the limit of {MaxSide}×{MaxSide}");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
            throw new PictureException($"the {codec.EncodedFormat} image cannot be decoded: {decoded}");
        return InkImage.FromRgba(bitmap.GetPixelSpan(), width, height);
    }
}
