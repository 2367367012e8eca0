using System.Buffers.Binary;
using System.IO.Compression;
using Mnist.IO;

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

    /// <summary>
    /// Opens the file (gunzipping when it starts with the gzip magic) and turns I/O failures into named errors.
    /// Only regular files are opened: a FIFO would block the open and a device would never end.
    /// </summary>
    private static byte[] Read(string path, Func<IdxStream, byte[]> parse)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new MnistDataException($"{name}: not found at {Path.GetFullPath(path)}");
        }
        if (RegularFile.Problem(path) is string problem)
        {
            throw new MnistDataException($"{name}: {Path.GetFullPath(path)} {problem}");
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            bool gzipped = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            if (!gzipped)
            {
                file.Position = 0;
                return parse(new IdxStream(file, name, null));
            }
            var limits = GzipLimits.Of(file);
            file.Position = 0;
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            return parse(new IdxStream(gzip, name, limits));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MnistDataException($"{name}: not found at {Path.GetFullPath(path)}", e);
        }
        catch (InvalidDataException e)
        {
            throw new MnistDataException($"{name}: corrupt gzip data: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MnistDataException($"{name}: cannot read {Path.GetFullPath(path)}: {e.Message}", e);
        }
    }

    /// <summary>The stream to parse, the file's name for messages, and for gzip what the compressed file allows.</summary>
    private sealed record IdxStream(Stream Stream, string Name, GzipLimits? Gzip);

    /// <summary>
    /// What a gzip file's own bytes say about its unpacked size, known before unpacking: the trailer's ISIZE (the
    /// length mod 2^32) and deflate's ceiling of 1032 unpacked bytes per compressed byte. A header claiming more
    /// is rejected before its payload is allocated.
    /// </summary>
    private sealed record GzipLimits(long CompressedBytes, uint TrailerSize)
    {
        private const long MaxDeflateRatio = 1032;

        public static GzipLimits Of(FileStream file)
        {
            long length = file.Length;
            if (length < 18) return new GzipLimits(length, 0); // too short for a gzip member: GZipStream reports it
            Span<byte> trailer = stackalloc byte[4];
            file.Position = length - 4;
            file.ReadExactly(trailer);
            return new GzipLimits(length, BinaryPrimitives.ReadUInt32LittleEndian(trailer));
        }

        /// <summary>Throws when the header and payload the header announces cannot be what this file unpacks to.</summary>
        public void Check(int headerBytes, long payloadBytes, string what, string name)
        {
            long unpacked = headerBytes + payloadBytes;
            if (unpacked > CompressedBytes * MaxDeflateRatio)
            {
                throw new MnistDataException(
                    $"{name}: header says {what} ({unpacked} bytes unpacked) but {CompressedBytes} gzip bytes cannot hold that much");
            }
            if (TrailerSize < unpacked) throw Truncated(name, what, payloadBytes, Math.Max(0, TrailerSize - headerBytes));
            if (TrailerSize > unpacked) throw new MnistDataException($"{name}: header says {what} ({payloadBytes} bytes) but more data follows");
        }
    }

    private static byte[] ParseImages(IdxStream idx)
    {
        var (stream, name) = (idx.Stream, idx.Name);
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
        return ReadPayload(idx, header.Length, (long)count * MnistLayout.ImagePixels, $"{count} images");
    }

    private static byte[] ParseLabels(IdxStream idx)
    {
        var (stream, name) = (idx.Stream, idx.Name);
        Span<byte> header = stackalloc byte[8];
        ReadHeader(stream, header, LabelsMagic, "labels", name);
        int count = ReadCount(header, name, "labels");
        var labels = ReadPayload(idx, header.Length, count, $"{count} labels");
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

    /// <summary>
    /// Reads exactly the payload the header announced. Its size is checked first against what the file can hold
    /// (a raw file's length; a gzip file's trailer and compressed size), so a corrupt header allocates nothing.
    /// </summary>
    private static byte[] ReadPayload(IdxStream idx, int headerBytes, long expectedBytes, string what)
    {
        var (stream, name) = (idx.Stream, idx.Name);
        if (expectedBytes > Array.MaxLength)
        {
            throw new MnistDataException($"{name}: header says {what} ({expectedBytes} bytes), too large to be MNIST");
        }
        idx.Gzip?.Check(headerBytes, expectedBytes, what, name);
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
