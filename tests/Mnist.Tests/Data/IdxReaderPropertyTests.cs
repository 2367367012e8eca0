using System.Buffers.Binary;
using CsCheck;
using Mnist.Data;

namespace Mnist.Tests.Data;

/// <summary>
/// Random and mutated bytes, raw and gzipped, fed to the IDX reader: each file either loads or fails with our
/// <see cref="MnistDataException"/> naming the file, and never allocates more than its size could justify.
/// </summary>
public sealed class IdxReaderPropertyTests : IDisposable
{
    private const string ImagesName = "train-images-idx3-ubyte";
    private const string LabelsName = "train-labels-idx1-ubyte";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] ValidImages = IdxFiles.Images([.. Enumerable.Range(0, 3 * 784).Select(i => (byte)(i * 7))], 3);
    private static readonly byte[] ValidLabels = IdxFiles.Labels([3, 1, 4, 1, 5]);

    /// <summary>A valid file with some bytes overwritten and maybe cut short: most mutations land in the header or payload.</summary>
    private static Gen<byte[]> Mutated(byte[] valid) =>
        Gen.Select(Gen.Int[0, valid.Length - 1].Select(Gen.Byte).Array[1, 6], Gen.Int[0, valid.Length + 4], (edits, length) =>
        {
            var bytes = new byte[length];
            valid.AsSpan(0, Math.Min(length, valid.Length)).CopyTo(bytes);
            foreach (var (at, value) in edits) if (at < length) bytes[at] = value;
            return bytes;
        });

    /// <summary>Mostly small headers with a count anywhere in int's range, then random bytes.</summary>
    private static readonly Gen<byte[]> Random = Gen.Byte.Array[0, 120];

    private static Gen<byte[]> Gzipped(Gen<byte[]> content) => content.Select(IdxFiles.Gzip);

    /// <summary>A gzip file with some of its compressed bytes overwritten (a damaged download).</summary>
    private static Gen<byte[]> DamagedGzip(byte[] valid) => Mutated(IdxFiles.Gzip(valid));

    [Fact]
    public void Random_and_mutated_raw_files_load_or_fail_naming_the_file()
    {
        Random.Sample(bytes => AssertLoadsOrNamesFile(bytes, images: true), iter: 300, threads: 1);
        Random.Sample(bytes => AssertLoadsOrNamesFile(bytes, images: false), iter: 300, threads: 1);
        Mutated(ValidImages).Sample(bytes => AssertLoadsOrNamesFile(bytes, images: true), iter: 300, threads: 1);
        Mutated(ValidLabels).Sample(bytes => AssertLoadsOrNamesFile(bytes, images: false), iter: 300, threads: 1);
    }

    [Fact]
    public void Random_and_mutated_gzip_files_load_or_fail_naming_the_file()
    {
        Gzipped(Random).Sample(bytes => AssertLoadsOrNamesFile(bytes, images: true), iter: 200, threads: 1);
        Gzipped(Mutated(ValidImages)).Sample(bytes => AssertLoadsOrNamesFile(bytes, images: true), iter: 200, threads: 1);
        Gzipped(Mutated(ValidLabels)).Sample(bytes => AssertLoadsOrNamesFile(bytes, images: false), iter: 200, threads: 1);
        DamagedGzip(ValidImages).Sample(bytes => AssertLoadsOrNamesFile(bytes, images: true), iter: 300, threads: 1);
        DamagedGzip(ValidLabels).Sample(bytes => AssertLoadsOrNamesFile(bytes, images: false), iter: 300, threads: 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_header_claiming_two_to_the_31_images_allocates_nothing_before_the_length_check(bool gzip)
    {
        var header = IdxFiles.Images(new byte[784], 1);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), int.MaxValue);
        var bytes = gzip ? IdxFiles.Gzip(header) : header;
        var path = _dir.File(ImagesName);
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.StartsWith($"{ImagesName}:", e.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes before refusing the header");
    }

    [Fact]
    public void A_gzip_header_claiming_more_than_its_trailer_says_is_refused_before_the_payload_is_read()
    {
        // 60,000 images claimed, 784 bytes present: small enough that only the gzip checks can stop the allocation.
        var path = _dir.File(ImagesName);
        File.WriteAllBytes(path, IdxFiles.Gzip(IdxFiles.Images(new byte[784], 60000)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("cannot hold that much", e.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes for a payload the file cannot hold");
    }

    private void AssertLoadsOrNamesFile(byte[] bytes, bool images)
    {
        var name = images ? ImagesName : LabelsName;
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var loaded = images ? IdxReader.ReadImages(path) : IdxReader.ReadLabels(path);
            Assert.True(loaded.Length <= 1032L * bytes.Length, $"{loaded.Length} bytes loaded from a {bytes.Length}-byte file");
        }
        catch (Exception e)
        {
            var ours = Assert.IsType<MnistDataException>(e);
            Assert.StartsWith($"{name}:", ours.Message);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Buffers of 64 KiB and gzip's state aside, nothing may grow with what a header claims.
        Assert.True(allocated < (1 << 20) + 1032L * bytes.Length, $"allocated {allocated} bytes reading a {bytes.Length}-byte file");
    }
}
