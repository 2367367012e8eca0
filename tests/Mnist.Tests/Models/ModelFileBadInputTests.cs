using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Mnist.Models;
using Mnist.Tests.Data;

namespace Mnist.Tests.Models;

/// <summary>The model files of issue 18's probe: each is one <see cref="ModelFileException"/> naming the file, fast and small.</summary>
public sealed class ModelFileBadInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteHeader(string header, int dataBytes = 0, string name = "m.safetensors")
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return WriteRaw(json, dataBytes, name);
    }

    private string WriteRaw(byte[] header, int dataBytes, string name = "m.safetensors")
    {
        string path = _dir.File(name);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Refused(string path)
    {
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        Assert.Contains(path, e.Message);
        return e.Message;
    }

    [Fact]
    public void InvalidUtf8InAKeyIsRefused()
    {
        byte[] header = [.. "{\"__metadata__\":{\"model\":\"softmax\"},\""u8, 0xff, 0xfe, .. "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"u8];
        Assert.Contains("not valid UTF-8", Refused(WriteRaw(header, 4)));
    }

    [Fact]
    public void LoneSurrogateEscapeIsRefused() =>
        Assert.Contains("not valid Unicode", Refused(WriteHeader("{\"__metadata__\":{\"model\":\"\\udc00\"}}")));

    [Fact]
    public void OverflowingShapeIsRefusedWithoutAllocating()
    {
        string path = WriteHeader("{\"__metadata__\":{\"model\":\"softmax\"},\"W\":{\"dtype\":\"F32\",\"shape\":[1073741824,1073741824,4],\"data_offsets\":[0,0]}}");
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("needs more bytes than the 0-byte data section holds", Refused(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void BytesBeyondWhatTheHeaderDescribesAreRefused()
    {
        string path = WriteHeader("{\"__metadata__\":{\"model\":\"softmax\"},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", dataBytes: 8 + 1000);
        Assert.Contains("data section has 1008 bytes but the tensors cover 8", Refused(path));
    }

    [Fact]
    public void HugeJunkFileIsRefusedAfterReadingOnlyItsLengthField()
    {
        // 3 GB, sparse: it takes no disk, and reading it whole (as the old reader did) would take seconds and gigabytes.
        string path = _dir.File("junk.safetensors");
        using (var f = new FileStream(path, FileMode.CreateNew)) f.SetLength(3L << 30);
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("bad header length 0", Refused(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "read more than the length field");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void HeaderLengthBeyondTheFileIsRefusedWithoutAllocatingIt()
    {
        string path = _dir.File("long.safetensors");
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("bad header length 1099511627776: the file has 56 bytes", Refused(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    [InlineData("link")]
    [InlineData("empty")]
    [InlineData("dir")]
    public async Task NonRegularFilesAreRefusedWithoutReadingOrBlocking(string which)
    {
        string path = which.StartsWith('/') ? which : _dir.File(which);
        switch (which)
        {
            case "fifo": ModelFiles.MakeFifo(path); break;
            case "link": File.CreateSymbolicLink(path, "/dev/zero"); break;
            case "empty": File.WriteAllBytes(path, []); break;
            case "dir": Directory.CreateDirectory(path); break;
        }
        // A FIFO would block the open for ever: run it where a hang fails the test instead of the run.
        string message = await Task.Run(() => Refused(path)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(which == "dir" ? "is a directory" : "not a regular file", message);
    }
}
