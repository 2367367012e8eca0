using System.Buffers.Binary;
using System.IO.Compression;

namespace Mnist.Data;

/// <summary>
/// Reads MNIST IDX files (idx3 images, idx1 labels), raw or gzipped. Every header field and the
/// exact payload length are checked, because a silently short or mislabelled file would otherwise
/// surface much later as a mysteriously bad model.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an idx3 image file into one byte array of N*784 pixels, row-major.</summary>
    public static byte[] ReadImages(string path) => Read(path, ParseImages);

    /// <summary>Reads an idx1 label file; every label must be a class index 0..9.</summary>
    public static byte[] ReadLabels(string path) => Read(path, ParseLabels);

    /// <summary>Opens the file (gunzipping when it starts with the gzip magic) and turns I/O failures into named errors.</summary>
    private static byte[] Read(string path, Func<Stream, string, byte[]> parse)
    {
        var name = Path.GetFileName(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            bool gzipped = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            using var stream = gzipped ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            return parse(stream, name);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MnistDataException($"{name}: not found at {Path.GetFullPath(path)}", e);
        }
        catch (InvalidDataException e)
        {
            throw new MnistDataException($"{name}: corrupt gzip data: {e.Message}", e);
        }
    }

    private static byte[] ParseImages(Stream stream, string name)
    {
        Span<byte> header = stackalloc byte[16];
        ReadHeader(stream, header, ImagesMagic, "images", name);
        int count = ReadCount(header, name, "images");
        int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        int cols = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        if (rows != MnistLayout.ImageHeight || cols != MnistLayout.ImageWidth)
        {
            throw new MnistDataException(
                $"{name}: expected {MnistLayout.ImageHeight}x{MnistLayout.ImageWidth} images, found {rows}x{cols}");
        }
        return ReadPayload(stream, (long)count * MnistLayout.ImagePixels, $"{count} images", name);
    }

    private static byte[] ParseLabels(Stream stream, string name)
    {
        Span<byte> header = stackalloc byte[8];
        ReadHeader(stream, header, LabelsMagic, "labels", name);
        int count = ReadCount(header, name, "labels");
        var labels = ReadPayload(stream, count, $"{count} labels", name);
        int bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(MnistLayout.NumClasses - 1));
        if (bad >= 0)
        {
            throw new MnistDataException($"{name}: label {bad} is {labels[bad]}, expected 0..{MnistLayout.NumClasses - 1}");
        }
        return labels;
    }

    /// <summary>
    /// Fills the header and checks its magic number. The magic is checked before the length so that,
    /// say, a small labels file passed as images is reported as the wrong kind rather than as truncated.
    /// </summary>
    private static void ReadHeader(Stream stream, Span<byte> header, int expectedMagic, string kind, string name)
    {
        int got = ReadFully(stream, header);
        if (got >= sizeof(int))
        {
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
            {
                throw new MnistDataException($"{name}: expected magic {expectedMagic} ({kind}), found {magic}");
            }
        }
        if (got < header.Length)
        {
            throw new MnistDataException($"{name}: truncated: expected a {header.Length}-byte header, found {got} bytes");
        }
    }

    private static int ReadCount(ReadOnlySpan<byte> header, string name, string kind)
    {
        int count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        if (count < 0)
        {
            throw new MnistDataException($"{name}: header gives a negative number of {kind} ({count})");
        }
        return count;
    }

    private static byte[] ReadPayload(Stream stream, long expectedBytes, string what, string name)
    {
        // For raw files the length is known up front: reject before allocating for a corrupt header.
        if (expectedBytes > Array.MaxLength)
        {
            throw new MnistDataException($"{name}: header says {what} ({expectedBytes} bytes), too large to be MNIST");
        }
        if (stream.CanSeek && stream.Length - stream.Position < expectedBytes)
        {
            throw Truncated(name, what, expectedBytes, stream.Length - stream.Position);
        }
        var payload = GC.AllocateUninitializedArray<byte>((int)expectedBytes);
        int got = ReadFully(stream, payload);
        if (got < payload.Length)
        {
            throw Truncated(name, what, expectedBytes, got);
        }
        if (stream.ReadByte() >= 0)
        {
            throw new MnistDataException($"{name}: header says {what} ({expectedBytes} bytes) but more data follows");
        }
        return payload;
    }

    private static MnistDataException Truncated(string name, string what, long expectedBytes, long got) =>
        new($"{name}: truncated: header says {what} ({expectedBytes} bytes) but only {got} bytes follow");

    /// <summary>Reads until the span is full or the stream ends; returns the number of bytes read.</summary>
    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
