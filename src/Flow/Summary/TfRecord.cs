using System.Buffers.Binary;

namespace Flow.Summary;

/// <summary>
/// TFRecord framing: each record is its length (uint64 little-endian), the masked CRC-32C of those 8
/// bytes, the data, and the masked CRC-32C of the data.
/// </summary>
public static class TfRecord
{
    private const int HeaderBytes = 12, FooterBytes = 4;

    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[FooterBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>One record read back: where it starts in the file and its data.</summary>
    public readonly record struct Record(long Offset, byte[] Data);

    /// <summary>
    /// The records of <paramref name="bytes"/>, every CRC checked. A record cut short at the end (a writer
    /// killed mid-record) ends the list; <paramref name="end"/> is then where the whole records end.
    /// </summary>
    /// <exception cref="InvalidDataException">A length or data CRC does not match; the message gives the record's offset.</exception>
    public static List<Record> ReadAll(ReadOnlySpan<byte> bytes, out long end)
    {
        var records = new List<Record>();
        long offset = 0;
        while (bytes.Length - offset >= HeaderBytes)
        {
            var header = bytes.Slice((int)offset, HeaderBytes);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != Crc32C.Masked(header[..8]))
                throw new InvalidDataException($"TFRecord at byte {offset}: the length's CRC does not match");
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (length > (ulong)(bytes.Length - offset - HeaderBytes - FooterBytes)) break;
            var data = bytes.Slice((int)offset + HeaderBytes, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[((int)offset + HeaderBytes + (int)length)..]) != Crc32C.Masked(data))
                throw new InvalidDataException($"TFRecord at byte {offset}: the data's CRC does not match");
            records.Add(new Record(offset, data.ToArray()));
            offset += HeaderBytes + (long)length + FooterBytes;
        }
        end = offset;
        return records;
    }
}
