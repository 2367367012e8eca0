using Mnist.Reports;
using SkiaSharp;

namespace Mnist.Predict;

/// <summary>One picture file's outcome: a prediction, or the reason it has none.</summary>
public sealed record PictureResult(string File, DigitPrediction? Prediction, string? Error);

/// <summary>
/// `mnist predict`'s work: each file in turn is decoded, preprocessed as MNIST was and predicted, so only
/// one decoded picture is in memory at a time; a bad file gives its error and the others go on.
/// </summary>
public static class PicturePredictions
{
    public static IEnumerable<PictureResult> Run(IEnumerable<string> files, DigitPredictor predictor, string? saveInputDir = null)
    {
        foreach (var file in files)
        {
            var (input, error) = Input(file);
            if (input is null)
            {
                yield return new PictureResult(file, null, error);
                continue;
            }
            if (saveInputDir is not null) SaveInput(Path.Combine(saveInputDir, Path.GetFileNameWithoutExtension(file) + ".28x28.png"), input);
            yield return new PictureResult(file, predictor.Predict(input), null);
        }
    }

    private static (float[]? Input, string? Error) Input(string file)
    {
        try
        {
            return (MnistPreprocessor.Preprocess(PictureReader.Read(file)), null);
        }
        catch (Exception e) when (e is PictureException or IOException or UnauthorizedAccessException)
        {
            return (null, e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message);
        }
    }

    /// <summary>The 28×28 input as the model saw it, white ink on black like MNIST's own images.</summary>
    public static void SaveInput(string path, ReadOnlySpan<float> input)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(MnistPreprocessor.Side, MnistPreprocessor.Side, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < input.Length; i++) pixels[i] = (byte)Math.Round(Math.Clamp(input[i], 0, 1) * 255);
        PngFile.Write(path, bitmap);
    }
}
