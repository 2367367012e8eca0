using Mnist.Tests.Data;
using Mnist.Tests.Reports;

namespace Mnist.Tests.Cli;

/// <summary>
/// Augmentation through the real CLI: `train --augment [true|false]` is recorded in the run's settings, and
/// `mnist show augmented` draws a PNG grid of one training digit's distortions, six to a row.
/// </summary>
public class AugmentCliTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static Png Show(TempDirectory dir, string file, params string[] args)
    {
        string path = dir.File(file);
        var r = CliRunner.Run(["show", "augmented", .. args, "--out", path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"wrote {path}", r.Stdout);
        Assert.Equal(PngSignature, File.ReadAllBytes(path)[..8]);
        Assert.Empty(Directory.GetFiles(dir.Path, ".*.tmp"));
        var png = new Png(path);
        Assert.True(png.DistinctColors() >= 3, $"{file} is blank");
        return png;
    }

    [Fact]
    public void GridHasSixColumnsAndARowPerSixTiles()
    {
        using var dir = new TempDirectory();
        using var one = Show(dir, "one.png", "--index", "3", "--count", "6");
        using var two = Show(dir, "two.png", "--index", "3", "--count", "12");
        using var six = Show(dir, "six.png", "--index", "3", "--seed", "5");
        // Digits at scale 3 (84 px): six tiles across; the default 36 are six rows, each as tall as one row's step.
        Assert.True(one.Width >= 6 * 84, $"{one.Width} px wide");
        Assert.Equal(one.Width, two.Width);
        Assert.Equal(one.Width, six.Width);
        int row = two.Height - one.Height;
        Assert.True(row >= 84, $"a row is {row} px");
        Assert.Equal(one.Height + 5 * row, six.Height);
    }

    [Fact]
    public void TrainAugmentTakesTrueOrFalseAndABadValueNamesTheFlag()
    {
        using var dir = new TempDirectory();
        var on = CliRunner.Run("train", "--steps", "5", "--augment", "--out", dir.File("on"));
        Assert.True(on.ExitCode == 0, on.Stderr);
        Assert.Contains("augment=true", on.Stdout);
        var off = CliRunner.Run("train", "--steps", "5", "--augment", "false", "--out", dir.File("off"));
        Assert.True(off.ExitCode == 0, off.Stderr);
        Assert.DoesNotContain("augment", off.Stdout.Split('\n').Single(l => l.StartsWith("settings:")));
        CliRunner.AssertOneErrorLine(CliRunner.Run("train", "--augment", "maybe"), 2, "--augment: 'maybe' is not true or false");
        CliRunner.AssertOneErrorLine(CliRunner.Run("bench", "--latency", "--augment"), 2, "--augment");
    }

    [Fact]
    public void BadIndexOrCountIsOneErrorLineNamingTheFlag()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.png");
        CliRunner.AssertOneErrorLine(CliRunner.Run("show", "augmented", "--index", "55000", "--out", path), 1, "--index 55000 is out of range");
        CliRunner.AssertOneErrorLine(CliRunner.Run("show", "augmented", "--index", "-1", "--out", path), 2, "--index");
        CliRunner.AssertOneErrorLine(CliRunner.Run("show", "augmented", "--count", "0", "--out", path), 2, "--count");
        CliRunner.AssertOneErrorLine(CliRunner.Run("show", "augmented", "--count", "601", "--out", path), 2, "--count");
        Assert.False(File.Exists(path));
    }
}
