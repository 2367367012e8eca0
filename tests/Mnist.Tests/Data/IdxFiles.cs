using System.Buffers.Binary;
using System.IO.Compression;
using Mnist.Data;

namespace Mnist.Tests.Data;

/// <summary>Builds IDX file contents in memory so tests can write valid, truncated or malformed files.</summary>
internal static class IdxFiles
{
    public static byte[] Images(byte[] pixels, int count, int rows = 28, int cols = 28, int magic = IdxReader.ImagesMagic)
    {
        var file = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(12), cols);
        pixels.CopyTo(file, 16);
        return file;
    }

    public static byte[] Labels(byte[] labels, int magic = IdxReader.LabelsMagic)
    {
        var file = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), labels.Length);
        labels.CopyTo(file, 8);
        return file;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(content);
        return buffer.ToArray();
    }
}
