using Mnist.Data;
using Mono.Unix.Native;

namespace Mnist.Tests.Data;

/// <summary>
/// A FIFO, a link to /dev/zero or a directory where a data file belongs: each is refused by name at once. Before,
/// the FIFO blocked the open and /dev/zero was hashed for ever; a directory read as "Access to the path is denied".
/// </summary>
public sealed class NonRegularFileTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Fifo(string name)
    {
        var path = _dir.File(name);
        Assert.Equal(0, Syscall.mkfifo(path, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR));
        return path;
    }

    private string LinkToDevZero(string name)
    {
        var path = _dir.File(name);
        File.CreateSymbolicLink(path, "/dev/zero");
        return path;
    }

    /// <summary>Runs <paramref name="action"/> on another thread: a hang fails the test instead of stalling the run.</summary>
    private static T WithinPatience<T>(Func<T> action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(Patience), $"still running after {Patience.TotalSeconds} s");
        return task.Result;
    }

    [Fact]
    public void The_reader_refuses_a_fifo_without_opening_it()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Fifo("train-labels-idx1-ubyte");
        var e = WithinPatience(() => Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path)));
        Assert.Equal($"train-labels-idx1-ubyte: {path} is a FIFO (named pipe), not a regular file", e.Message);
    }

    [Fact]
    public void The_reader_refuses_a_link_to_dev_zero()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = LinkToDevZero("train-images-idx3-ubyte");
        var e = WithinPatience(() => Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path)));
        Assert.Contains("is a device, not a regular file", e.Message);
    }

    [Fact]
    public void The_reader_says_a_directory_is_a_directory()
    {
        var path = _dir.File("train-images-idx3-ubyte");
        Directory.CreateDirectory(path);
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        Assert.Equal($"train-images-idx3-ubyte: {path} is a directory, not a file", e.Message);
    }

    [Fact]
    public void Verifying_a_folder_with_a_link_to_dev_zero_or_a_fifo_ends_with_an_error_naming_it()
    {
        if (OperatingSystem.IsWindows()) return;
        LinkToDevZero(MnistFiles.TrainImages.Name);
        Fifo(MnistFiles.TrainLabels.GzipName);
        var statuses = WithinPatience(() => MnistFetcher.Verify(_dir.Path));
        Assert.Equal("is a device, not a regular file", statuses[0].Problem);
        Assert.Equal("is a FIFO (named pipe), not a regular file", statuses[1].Problem);

        var e = WithinPatience(() => Assert.Throws<MnistDataException>(() => new MnistFetcher([]).EnsureFiles(_dir.Path)));
        Assert.Contains($"train-images-idx3-ubyte: {_dir.File("train-images-idx3-ubyte")} is a device", e.Message);
    }

    [Fact]
    public void The_cli_names_a_fifo_in_the_data_folder()
    {
        if (OperatingSystem.IsWindows()) return;
        Fifo(MnistFiles.TrainImages.Name);
        var r = WithinPatience(() => Tests.Cli.CliRunner.Run("train", "--steps", "1", "--data-dir", _dir.Path, "--no-verify"));
        Tests.Cli.CliRunner.AssertCleanError(r, "is a FIFO (named pipe), not a regular file");
    }
}
