using Mnist.Data;
using Mnist.Tests.Data;

namespace Mnist.Tests.Cli;

/// <summary>Bad input through the real CLI: one clear line, a non-zero exit, no stack trace.</summary>
public class CliErrorTests
{
    [Fact]
    public void UnknownModel() => CliRunner.AssertCleanError(CliRunner.Run("train", "--model", "resnet"), "unknown model 'resnet'");

    [Fact]
    public void NegativeBatchSize() => CliRunner.AssertCleanError(CliRunner.Run("train", "--batch-size", "-5"), "error: --batch-size: must be a positive integer");

    [Fact]
    public void UnknownOption() => CliRunner.AssertCleanError(CliRunner.Run("train", "--bogus"), "--bogus");

    [Fact]
    public void TruncatedIdxFileIsNamed()
    {
        using var dir = new TempDirectory();
        WriteValidSet(dir.Path);
        var path = Path.Combine(dir.Path, "train-images-idx3-ubyte");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);
        CliRunner.AssertCleanError(CliRunner.Run("train", "--data-dir", dir.Path, "--no-verify"), "train-images-idx3-ubyte: truncated");
    }

    [Fact]
    public void WrongMagicNumberIsNamed()
    {
        using var dir = new TempDirectory();
        WriteValidSet(dir.Path);
        var path = Path.Combine(dir.Path, "t10k-labels-idx1-ubyte");
        var bytes = File.ReadAllBytes(path);
        bytes[3] = 0x99;
        File.WriteAllBytes(path, bytes);
        CliRunner.AssertCleanError(CliRunner.Run("train", "--data-dir", dir.Path, "--no-verify"), "t10k-labels-idx1-ubyte");
    }

    [Fact]
    public void WrongChecksumIsNamedWhenOffline()
    {
        using var dir = new TempDirectory();
        WriteValidSet(dir.Path);
        var r = CliRunner.Run("data", "--data-dir", dir.Path, "--offline");
        CliRunner.AssertCleanError(r, "train-images-idx3-ubyte is present but corrupt: SHA-256");
    }

    // Small well-formed IDX files (not the real data, so their checksums are wrong on purpose).
    private static void WriteValidSet(string dir)
    {
        foreach (var (name, count) in new[] { ("train", 5010), ("t10k", 20) })
        {
            File.WriteAllBytes(Path.Combine(dir, $"{name}-images-idx3-ubyte"), IdxFiles.Images(new byte[count * 784], count));
            File.WriteAllBytes(Path.Combine(dir, $"{name}-labels-idx1-ubyte"), IdxFiles.Labels(new byte[count]));
        }
    }
}
