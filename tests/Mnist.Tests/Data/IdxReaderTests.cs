using Mnist.Data;

namespace Mnist.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] content)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_images_and_labels_raw_or_gzipped(bool gzip)
    {
        var pixels = IndexedExamples.Pixels(3);
        var labels = new byte[] { 7, 0, 9 };
        var images = IdxFiles.Images(pixels, 3);
        var labelFile = IdxFiles.Labels(labels);

        var imagesPath = Write("train-images-idx3-ubyte", gzip ? IdxFiles.Gzip(images) : images);
        var labelsPath = Write("train-labels-idx1-ubyte", gzip ? IdxFiles.Gzip(labelFile) : labelFile);

        Assert.Equal(pixels, IdxReader.ReadImages(imagesPath));
        Assert.Equal(labels, IdxReader.ReadLabels(labelsPath));
    }

    [Fact]
    public void Reads_an_empty_set()
    {
        Assert.Empty(IdxReader.ReadImages(Write("empty", IdxFiles.Images([], 0))));
        Assert.Empty(IdxReader.ReadLabels(Write("empty-labels", IdxFiles.Labels([]))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_images_name_the_file_and_the_shortfall(bool gzip)
    {
        var full = IdxFiles.Images(IndexedExamples.Pixels(3), 3);
        var truncated = full[..(16 + 1000)];
        var path = Write("train-images-idx3-ubyte", gzip ? IdxFiles.Gzip(truncated) : truncated);

        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        Assert.Equal("train-images-idx3-ubyte: truncated: header says 3 images (2352 bytes) but only 1000 bytes follow", e.Message);
    }

    [Fact]
    public void Truncated_labels_are_rejected()
    {
        var path = Write("t10k-labels-idx1-ubyte", IdxFiles.Labels([1, 2, 3, 4])[..10]);
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path));
        Assert.Contains("t10k-labels-idx1-ubyte: truncated: header says 4 labels (4 bytes) but only 2 bytes follow", e.Message);
    }

    [Fact]
    public void Truncated_header_is_rejected()
    {
        var path = Write("t10k-images-idx3-ubyte", IdxFiles.Images([], 0)[..7]);
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        Assert.Equal("t10k-images-idx3-ubyte: truncated: expected a 16-byte header, found 7 bytes", e.Message);
    }

    [Fact]
    public void Wrong_magic_names_the_file_and_both_numbers()
    {
        var path = Write("train-images-idx3-ubyte", IdxFiles.Images(IndexedExamples.Pixels(1), 1, magic: 1234));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        Assert.Equal("train-images-idx3-ubyte: expected magic 2051 (images), found 1234", e.Message);
    }

    [Fact]
    public void A_labels_file_read_as_images_is_rejected()
    {
        var path = Write("swapped", IdxFiles.Labels([1, 2]));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        Assert.StartsWith("swapped: expected magic 2051 (images), found 2049", e.Message);
    }

    [Fact]
    public void Wrong_dimensions_are_rejected()
    {
        var path = Write("train-images-idx3-ubyte", IdxFiles.Images(new byte[28 * 27], 1, rows: 28, cols: 27));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        Assert.Equal("train-images-idx3-ubyte: expected 28x28 images, found 28x27", e.Message);
    }

    [Fact]
    public void Trailing_data_is_rejected()
    {
        var path = Write("train-labels-idx1-ubyte", [.. IdxFiles.Labels([1, 2]), 0]);
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path));
        Assert.Contains("train-labels-idx1-ubyte: header says 2 labels (2 bytes) but more data follows", e.Message);
    }

    [Fact]
    public void Labels_outside_0_to_9_are_rejected()
    {
        var path = Write("train-labels-idx1-ubyte", IdxFiles.Labels([1, 10]));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path));
        Assert.Equal("train-labels-idx1-ubyte: label 1 is 10, expected 0..9", e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(_dir.File("t10k-images-idx3-ubyte")));
        Assert.Equal($"t10k-images-idx3-ubyte: not found at {_dir.File("t10k-images-idx3-ubyte")}", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_data_is_named()
    {
        var gzip = IdxFiles.Gzip(IdxFiles.Labels([1, 2, 3]));
        gzip.AsSpan(10, gzip.Length - 18).Fill(0xff);
        var path = Write("train-labels-idx1-ubyte", gzip);

        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadLabels(path));
        Assert.StartsWith("train-labels-idx1-ubyte: corrupt gzip data", e.Message);
    }

    [Fact]
    public void A_huge_count_in_a_small_raw_file_fails_before_allocating()
    {
        var path = Write("train-images-idx3-ubyte", IdxFiles.Images(new byte[784], 60000));
        var e = Assert.Throws<MnistDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains("header says 60000 images (47040000 bytes) but only 784 bytes follow", e.Message);
    }
}
