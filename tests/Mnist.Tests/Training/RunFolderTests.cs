using Mnist.IO;
using Mnist.Tests.Data;
using Mnist.Training;

namespace Mnist.Tests.Training;

/// <summary>Run folders: made atomically when chosen, refused when --out holds files, removed when a failed run left them empty.</summary>
public sealed class RunFolderTests : IDisposable
{
    private static readonly DateTime Now = new(2025, 1, 2, 3, 4, 5);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DefaultFolderIsStampedAndMadeAtOnce()
    {
        using var first = RunFolder.Create(null, "lenet", Now, parent: _dir.Path);
        Assert.Equal(_dir.File("lenet-20250102-030405"), first.Path);
        Assert.True(Directory.Exists(first.Path));
        using var second = RunFolder.Create(null, "lenet", Now, parent: _dir.Path);
        Assert.Equal(first.Path + "-2", second.Path);
    }

    [Fact]
    public void RunsStartedInTheSameSecondNeverShareAFolder()
    {
        var folders = new string[16];
        Parallel.For(0, folders.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            folders[i] = RunFolder.Create(null, "softmax", Now, parent: _dir.Path).Path);
        Assert.Equal(folders.Length, folders.Distinct().Count());
        Assert.All(folders, f => Assert.True(Directory.Exists(f)));
    }

    [Fact]
    public void RequestedFolderThatHoldsFilesIsRefusedUnlessOverwrite()
    {
        string run = _dir.File("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "model.safetensors"), "x");
        Assert.Contains("already holds files; pass --overwrite", Assert.Throws<IOException>(() => RunFolder.Create(run, "softmax", Now)).Message);
        using (var replaced = RunFolder.Create(run, "softmax", Now, overwrite: true)) Assert.Equal(run, replaced.Path);
        Assert.True(File.Exists(Path.Combine(run, "model.safetensors")), "disposing removed a folder it did not make");
    }

    [Fact]
    public void AFolderLeftEmptyIsRemovedOnlyIfThisRunMadeIt()
    {
        string made;
        using (var folder = RunFolder.Create(null, "mlp", Now, parent: _dir.Path)) made = folder.Path;
        Assert.False(Directory.Exists(made));

        string existing = _dir.File("mine");
        Directory.CreateDirectory(existing);
        RunFolder.Create(existing, "mlp", Now).Dispose();
        Assert.True(Directory.Exists(existing));

        string kept;
        using (var folder = RunFolder.Create(null, "mlp", Now, parent: _dir.Path))
        {
            kept = folder.Path;
            File.WriteAllText(Path.Combine(kept, "metrics.jsonl"), "{}");
        }
        Assert.True(Directory.Exists(kept));
    }

    [Fact]
    public void StaleTemporariesOfKilledRunsAreSweptFreshOnesKept()
    {
        string old = _dir.File("softmax-20240101-000000");
        Directory.CreateDirectory(old);
        string stale = Path.Combine(old, $".model.safetensors.{Guid.NewGuid():N}.tmp");
        string fresh = Path.Combine(old, $".loss.png.{Guid.NewGuid():N}.tmp");
        string foreign = Path.Combine(old, ".notes.tmp");
        foreach (var f in new[] { stale, fresh, foreign }) File.WriteAllText(f, "partial");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - AtomicFile.StaleAfter - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(foreign, DateTime.UtcNow - TimeSpan.FromDays(2));

        RunFolder.Create(null, "softmax", Now, parent: _dir.Path).Dispose();

        Assert.False(File.Exists(stale), "a killed run's temporary survived");
        Assert.True(File.Exists(fresh), "a write in progress was removed");
        Assert.True(File.Exists(foreign), "a file not of our naming was removed");
    }

    [Fact]
    public void AFailedWriteLeavesNoTemporary()
    {
        string path = _dir.File("model.safetensors");
        Assert.Throws<InvalidDataException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[1000]);
            throw new InvalidDataException("cut short");
        }));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void WritabilityIsCheckedWithoutLeavingAnything()
    {
        AtomicFile.CheckWritable(_dir.File("sub/m.json"));
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories));
        Assert.Contains("is a folder", Assert.Throws<IOException>(() => AtomicFile.CheckWritable(_dir.Path)).Message);
        Assert.Contains("cannot write /proc/m.json", Assert.Throws<IOException>(() => AtomicFile.CheckWritable("/proc/m.json")).Message);
    }
}
