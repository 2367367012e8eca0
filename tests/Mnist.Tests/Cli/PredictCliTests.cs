using System.Text.Json;
using Mnist.Data;
using Mnist.Tests.Predict;
using Mnist.Tests.Reports;
using SkiaSharp;

namespace Mnist.Tests.Cli;

/// <summary>`mnist predict` on picture files through the real CLI: its line and JSON output, the saved input, per-file errors.</summary>
public sealed class PredictCliTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Fact]
    public void PredictsGoodFilesAndNamesEachBadOne()
    {
        string digit = DigitPicture("seven.png", index: 0);   // test digit 0 is a 7
        string text = run.Picture("notes.png");
        File.WriteAllText(text, "not a picture");
        string empty = run.Picture("empty.png");
        File.WriteAllBytes(empty, []);
        string blank = Solid("blank.png", 64, 64);
        string huge = Solid("huge.png", 9000, 8);

        var r = CliRunner.Run("predict", "--model", run.ModelFile, digit, text, empty, blank, huge, run.Picture("absent.png"), "--top", "3");

        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"^.*seven\.png: 7 \(\d+\.\d%\)  then \d \(\d+\.\d%\), \d \(\d+\.\d%\)\r?\n$", r.Stdout);
        var errors = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, errors.Length);
        Assert.All(errors, e => Assert.StartsWith("error: ", e));
        Assert.Contains("notes.png: not an image", errors[0]);
        Assert.Contains("empty.png: the file is empty", errors[1]);
        Assert.Contains("blank.png: the image is blank", errors[2]);
        Assert.Contains("huge.png: the image is 9000×8 pixels, over the limit", errors[3]);
        Assert.Contains("absent.png: no such file", errors[4]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void JsonAndSavedInput()
    {
        string digit = DigitPicture("two.png", index: 1);   // test digit 1 is a 2
        string dir = run.Picture("inputs");
        var r = CliRunner.Run("predict", "--model", run.ModelFile, digit, "--json", "--top", "2", "--save-input", dir);

        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout.Trim());
        var root = json.RootElement;
        Assert.Equal(digit, root.GetProperty("file").GetString());
        Assert.Equal(2, root.GetProperty("digit").GetInt32());
        var top = root.GetProperty("top").EnumerateArray().ToArray();
        Assert.Equal(2, top.Length);
        Assert.Equal(root.GetProperty("probability").GetDouble(), top[0].GetProperty("probability").GetDouble());
        Assert.True(top[0].GetProperty("probability").GetDouble() >= top[1].GetProperty("probability").GetDouble());
        using var input = new Png(Path.Combine(dir, "two.28x28.png"));
        Assert.Equal((28, 28), (input.Width, input.Height));
        Assert.Equal(SKColors.Black, input[0, 0]);
    }

    // An MNIST test digit drawn dark on light at 100×100, as a user's picture might be.
    private string DigitPicture(string name, int index)
    {
        var test = new DataOptions().Load(PixelScaling.ZeroToOne, 0).Test;
        string path = run.Picture(name);
        using var bitmap = DigitRenderings.All.Single(d => d.Name == "inverted").Draw(test.Images.AsSpan(index * 784, 784).ToArray());
        DigitRenderings.Save(bitmap, path);
        return path;
    }

    private string Solid(string name, int width, int height)
    {
        string path = run.Picture(name);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.White);
        DigitRenderings.Save(bitmap, path);
        return path;
    }
}
