using Mnist.Cli;
using Mnist.Tests.Data;
using Mnist.Tests.Models;

namespace Mnist.Tests.Cli;

/// <summary>
/// The cases of the hostile probe (issues 9, 17 and 18) through the real CLI, kept so they stay fixed:
/// each ends in one <c>error:</c> line on stderr and README's exit code, before any long work.
/// </summary>
public class BadInputTests
{
    [Theory]
    [InlineData("--steps: 'abc' is not an integer", "train", "--steps", "abc")]
    [InlineData("--steps: must be a positive integer up to 2147483647, got 99999999999", "train", "--steps", "99999999999")]
    [InlineData("--batch-size: must be a positive integer", "train", "--batch-size", "-1")]
    [InlineData("--threads: 'two' is not an integer", "bench", "--threads", "two")]
    [InlineData("--seed: '1.5' is not an integer", "train", "--seed", "1.5")]
    [InlineData("--learning-rate: must be a positive finite number, got Infinity", "train", "--learning-rate", "Infinity")]
    [InlineData("--learning-rate: must be a positive finite number, got NaN", "train", "--learning-rate", "NaN")]
    [InlineData("--epochs: must be a positive finite number, got Infinity", "train", "--epochs", "Infinity")]
    [InlineData("--epochs: 'x' is not a number", "train", "--epochs", "x")]
    [InlineData("--index: must be an integer from 0", "show", "probabilities", "--model", "m", "--index", "-3")]
    [InlineData("index: 'first' is not an integer", "show", "digit", "first")]
    [InlineData("--model: unknown model 'resnet'", "train", "--model", "resnet")]
    [InlineData("--steps and --epochs cannot be used together", "train", "--steps", "5", "--epochs", "1")]
    [InlineData("--self-test applies only to --model lenet, not softmax", "train", "--self-test")]
    [InlineData("--weight-decay applies only to --model deep or mlp or best, not lenet", "train", "--model", "lenet", "--weight-decay", "0.01")]
    [InlineData("--weight-decay: must be a non-negative finite number, got -0.01", "train", "--model", "mlp", "--weight-decay", "-0.01")]
    [InlineData("--self-test applies only to --model lenet, not mlp", "train", "--model", "mlp", "--self-test")]
    [InlineData("--overwrite needs --out", "train", "--overwrite")]
    [InlineData("--batch-size and --table cannot be used together", "bench", "--table", "--batch-size", "5")]
    [InlineData("--latency and --batch-size cannot be used together", "bench", "--latency", "--batch-size", "5")]
    [InlineData("--calls: must be a positive integer", "bench", "--latency", "--calls", "0")]
    [InlineData("--convs and --latency cannot be used together", "bench", "--convs", "--latency")]
    public void UsageErrorsAreOneLineWithExitCode2(string expected, params string[] args)
    {
        var r = CliRunner.Run(args);
        CliRunner.AssertOneErrorLine(r, ExitCodes.Usage, expected);
        Assert.Equal("", r.Stdout);   // refused before any work: not even the "training ..." line
    }

    [Fact]
    public void TypoGoesToStderrWithASuggestion()
    {
        var r = CliRunner.Run("train", "--stesp", "5");
        CliRunner.AssertOneErrorLine(r, ExitCodes.Usage, "'--stesp'");
        Assert.Contains("  did you mean --steps?", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void MistypedVerbIsNamedWithASuggestion()
    {
        var r = CliRunner.Run("trian");
        CliRunner.AssertOneErrorLine(r, ExitCodes.Usage, "`mnist` has no verb 'trian'; its verbs: train, data, bench, show, eval");
        Assert.Contains("  did you mean train?", r.Stderr);
    }

    [Theory]
    [InlineData("`mnist` needs a verb: train, data, bench, show, eval")]
    [InlineData("`mnist show` needs a verb: samples, digit", "show")]
    public void MissingVerbPrintsTheHelpAndOneErrorLine(string expected, params string[] args)
    {
        var r = CliRunner.Run(args);
        CliRunner.AssertOneErrorLine(r, ExitCodes.Usage, expected);
        Assert.Contains("Usage:", r.Stdout);
        Assert.Contains("Commands:", r.Stdout);
    }

    [Fact]
    public void HelpStatesEachDefaultOnce()
    {
        var r = CliRunner.Run("show", "samples", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("[default: samples.png]", r.Stdout);
        Assert.DoesNotContain("(default: samples.png)", r.Stdout);
    }

    [Theory]
    [InlineData("batch size 70000 exceeds the 55000 examples of the training set", "--batch-size", "70000", "--steps", "2")]
    [InlineData("1E-09 epochs of 55000 examples in batches of 100 make 0 steps", "--epochs", "1e-9")]
    [InlineData("is not a number of steps from 1 to 2147483647", "--epochs", "1e300")]
    public void SettingsTheDataCannotServeFailBeforeTrainingAndLeaveNoRunFolder(string expected, params string[] settings)
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(["train", "--out", dir.File("run"), .. settings]);
        CliRunner.AssertOneErrorLine(r, ExitCodes.Failure, expected);
        Assert.DoesNotContain("step 0", r.Stdout);
        Assert.False(Directory.Exists(dir.File("run")), "the failed run left its empty run folder");
    }

    [Fact]
    public void UnwritableMetricsFileFailsBeforeTrainingAndLeavesNoRunFolder()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.RunIn(dir.Path, "train", "--metrics", "/proc/m.json");
        CliRunner.AssertOneErrorLine(r, ExitCodes.Failure, "--metrics: cannot write /proc/m.json");
        Assert.DoesNotContain("step 0", r.Stdout);
        Assert.False(Directory.Exists(dir.File("runs")) && Directory.EnumerateFileSystemEntries(dir.File("runs")).Any(),
            "a run folder was left behind");
    }

    [Fact]
    public void UnwritablePictureIsRefusedBeforeDrawing() =>
        CliRunner.AssertOneErrorLine(CliRunner.Run("show", "samples", "--out", "/proc/x.png"), ExitCodes.Failure,
            "--out: cannot write /proc/x.png: files cannot be created in /proc");

    [Fact]
    public void NonEmptyOutIsRefusedUnlessOverwrite()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "model.safetensors"), "someone else's");
        var refused = CliRunner.Run("train", "--steps", "5", "--out", run);
        CliRunner.AssertOneErrorLine(refused, ExitCodes.Failure, $"run folder {run} already holds files; pass --overwrite");
        Assert.Equal("someone else's", File.ReadAllText(Path.Combine(run, "model.safetensors")));

        var replaced = CliRunner.Run("train", "--steps", "5", "--out", run, "--overwrite");
        Assert.True(replaced.ExitCode == 0, replaced.Stderr);
        Assert.NotEqual("someone else's", File.ReadAllText(Path.Combine(run, "model.safetensors")));
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    [InlineData("link-to-zero")]
    [InlineData("folder")]
    public void ModelThatIsNotARegularFileIsRefusedAtOnce(string which)
    {
        using var dir = new TempDirectory();
        string path = which.StartsWith('/') ? which : dir.File(which);
        if (which == "fifo") ModelFiles.MakeFifo(path);
        if (which == "link-to-zero") File.CreateSymbolicLink(path, "/dev/zero");
        if (which == "folder") Directory.CreateDirectory(path);
        var r = CliRunner.Run("eval", "--model", path);
        CliRunner.AssertOneErrorLine(r, ExitCodes.Failure, $"model file {path}:");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void ModelWithNonFiniteWeightsIsRefusedNamingTheTensor(float poison)
    {
        using var dir = new TempDirectory();
        string path = dir.File("poisoned.safetensors");
        string tensor = ModelFiles.FirstParameter("softmax");
        ModelFiles.WriteWith(path, "softmax", tensor, poison);
        foreach (var args in new[] { new[] { "eval", "--model", path }, ["show", "projector", "--model", path, "--count", "20", "--out", dir.File("p.png")] })
            CliRunner.AssertOneErrorLine(CliRunner.Run(args), ExitCodes.Failure, $"tensor \"{tensor}\" holds a non-finite value at element 3");
    }

    [Fact]
    public void DataWithoutVerificationClaimsNoChecksum()
    {
        Assert.Equal(0, CliRunner.Run("data").ExitCode);   // fetched if this machine has no MNIST yet
        var r = CliRunner.Run("data", "--no-verify");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(4, r.Stdout.Split('\n').Count(l => l.TrimEnd().EndsWith("not verified")));
        Assert.DoesNotContain("sha256 ok", r.Stdout);
    }
}
