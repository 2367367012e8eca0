using Mnist.Data;
using Mnist.Predict;
using Mnist.Tests.Data;
using Mnist.Tests.Export;
using Xunit.Abstractions;

namespace Mnist.Tests.Predict;

/// <summary>`predict`'s picture path (decode, ink, MNIST preprocessing) on MNIST test digits saved as picture files.</summary>
public sealed class RenderedDigitTests(ITestOutputHelper output)
{
    private const int Digits = 500;

    [Theory]
    [InlineData("mlp", 2000)]
    public void PicturesScoreWithinOnePointFiveOfTheOriginals(string name, int steps)
    {
        var (trained, data) = ShortTraining.Train(name, steps);
        using var _ = trained;
        var predictor = new DigitPredictor(trained);
        var test = new DataSet(data.Test.Images, data.Test.Labels, PixelScaling.ZeroToOne);
        var original = new float[784];
        int baseline = 0;
        for (int i = 0; i < Digits; i++)
        {
            test.GatherImages(i, 1, original);
            if (predictor.Predict(original).Digit == test.Labels[i]) baseline++;
        }

        using var dir = new TempDirectory();
        foreach (var rendering in DigitRenderings.All)
        {
            var files = new List<string>();
            for (int i = 0; i < Digits; i++)
            {
                using var bitmap = rendering.Draw(test.Images.AsSpan(i * 784, 784).ToArray());
                files.Add(dir.File($"{rendering.Name}-{i}.png"));
                DigitRenderings.Save(bitmap, files[^1]);
            }
            var results = PicturePredictions.Run(files, predictor).ToList();
            Assert.All(results, r => Assert.Null(r.Error));
            int right = results.Select((r, i) => r.Prediction!.Digit == test.Labels[i]).Count(ok => ok);
            output.WriteLine($"{name} {rendering.Name}: {right}/{Digits} vs {baseline}/{Digits} on the 28×28 originals");
            Assert.True(right >= baseline - 0.015 * Digits, $"{rendering.Name}: {right} of {Digits} right, the 28×28 originals {baseline}");
        }
    }
}
