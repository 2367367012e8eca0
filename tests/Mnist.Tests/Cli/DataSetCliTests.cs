using Mnist.Data;
using Mnist.Models;
using Mnist.Tests.Data;

namespace Mnist.Tests.Cli;

/// <summary>`--dataset fashion` through the real CLI: fetched from Debian's folder, verified, and carried by the model file.</summary>
public sealed class DataSetCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [FashionFact]
    public void Debians_gzipped_folder_verifies_as_it_is()
    {
        var r = CliRunner.Run("data", "--dataset", "fashion", "--data-dir", KnownDataSets.DebianFashionFolder, "--offline");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("data set: Fashion-MNIST", r.Stdout);
        foreach (var file in KnownDataSets.Fashion.Files) Assert.Matches($@"{file.GzipName} +\d+ bytes  sha256 ok", r.Stdout);
    }

    [Fact]
    public void Mnist_checksums_refuse_fashion_files()
    {
        var folder = _dir.File("mixed");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), IdxFiles.Gzip(IdxFiles.Labels([1, 2, 3])));
        var r = CliRunner.Run("data", "--data-dir", folder, "--offline");
        CliRunner.AssertCleanError(r, "t10k-labels-idx1-ubyte is present but corrupt");
    }

    [Fact]
    public void An_unknown_data_set_is_one_clean_line()
    {
        var r = CliRunner.Run("data", "--dataset", "cifar");
        CliRunner.AssertCleanError(r, "cifar");
        Assert.Contains("mnist", r.Stderr);
    }

    [FashionFact]
    public void A_fashion_model_records_its_data_set_and_eval_and_show_use_it()
    {
        string data = _dir.File("fashion"), run = _dir.File("run");
        var train = CliRunner.Run("train", "--dataset", "fashion", "--steps", "100", "--data-dir", data, "--out", run);
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("dataset=fashion", train.Stdout);
        var model = Path.Combine(run, "model.safetensors");
        Assert.Equal("fashion", ModelFile.Load(model).Settings["dataset"]);
        Assert.Contains("fashion", File.ReadAllText(Path.Combine(run, "report.html")));

        // No --dataset: the model's own is used, and its class names are printed.
        var eval = CliRunner.Run("eval", "--model", model, "--data-dir", data, "--offline");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("data set: Fashion-MNIST", eval.Stdout);
        Assert.Matches(@"per class: T-shirt/top:[01]\.\d{3}  Trouser:", eval.Stdout);

        var show = CliRunner.Run("show", "probabilities", "--model", model, "--index", "0", "--data-dir", data, "--offline",
            "--out", _dir.File("p.png"));
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("true Ankle boot", show.Stdout); // the first Fashion-MNIST test image is an ankle boot
    }

    [FashionFact]
    public void Two_processes_fetching_into_one_empty_folder_both_succeed()
    {
        var folder = _dir.File("shared");
        var both = Enumerable.Range(0, 2)
            .Select(_ => Task.Run(() => CliRunner.Run("data", "--dataset", "fashion", "--data-dir", folder)))
            .ToArray();
        Task.WaitAll(both);
        foreach (var r in both.Select(t => t.Result)) Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(KnownDataSets.Fashion.Files.Select(f => f.Name).Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        foreach (var file in KnownDataSets.Fashion.Files) Assert.True(FileChecksum.Check(file, folder).ChecksumOk, file.Name);
    }

    [Fact]
    public void Without_an_absolute_home_the_cache_is_refused_by_name_not_made_under_the_current_folder()
    {
        var env = new Dictionary<string, string?> { ["HOME"] = "relative/home", ["XDG_CACHE_HOME"] = "also/relative", ["MNIST_DATA_DIR"] = null };
        var r = CliRunner.RunWith(env, "data", "--offline");
        CliRunner.AssertCleanError(r, "neither $XDG_CACHE_HOME nor $HOME is an absolute path");
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "relative")));
    }

    [Fact]
    public void A_relative_xdg_cache_home_is_ignored_for_home_dot_cache_and_the_folder_is_named()
    {
        var env = new Dictionary<string, string?> { ["HOME"] = _dir.Path, ["XDG_CACHE_HOME"] = "relative", ["MNIST_DATA_DIR"] = null };
        var r = CliRunner.RunWith(env, "data", "--offline");
        Assert.Contains(Path.Combine(_dir.Path, ".cache", "mnist"), r.Stderr + r.Stdout);
    }
}
