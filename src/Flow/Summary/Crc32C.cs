using System.Buffers.Binary;
using System.Numerics;

namespace Flow.Summary;

/// <summary>CRC-32C (Castagnoli), as TFRecord files check their records, and TensorFlow's masking of it.</summary>
public static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/> (the processor's CRC32 instruction where it has one).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }

    /// <summary>
    /// TensorFlow's masked CRC (rotate right by 15, add a constant): a CRC stored inside the data it
    /// covers would otherwise make CRCs of CRCs degenerate.
    /// </summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
