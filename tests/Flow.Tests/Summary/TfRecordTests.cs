using System.Text;
using Flow.Summary;

namespace Flow.Tests.Summary;

/// <summary>TFRecord framing and its CRC-32C, against the published check values.</summary>
public class TfRecordTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)]   // the CRC-32C check value
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Crc32CMatchesKnownValues(string text, uint expected) => Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Crc32COf32ZeroBytesMatchesRfc3720() => Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));

    [Fact]
    public void RecordsRoundTripAndACutTailIsLeftOut()
    {
        var stream = new MemoryStream();
        byte[][] data = [[], [1, 2, 3], Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray()];
        foreach (var d in data) TfRecord.Write(stream, d);
        var bytes = stream.ToArray();
        Assert.Equal(data.Sum(d => d.Length + 16), bytes.Length);

        var all = TfRecord.ReadAll(bytes, out long end);
        Assert.Equal(bytes.Length, end);
        Assert.Equal(data, all.Select(r => r.Data));

        var cut = TfRecord.ReadAll(bytes.AsSpan(0, bytes.Length - 5), out long cutEnd);
        Assert.Equal(2, cut.Count);
        Assert.Equal(all[2].Offset, cutEnd);
    }

    [Theory]
    [InlineData(3)]    // in the length
    [InlineData(10)]   // in the length's CRC
    [InlineData(13)]   // in the data
    [InlineData(16)]   // in the data's CRC
    public void AFlippedBitIsCaught(int at)
    {
        var stream = new MemoryStream();
        TfRecord.Write(stream, [9, 8, 7, 6]);
        var bytes = stream.ToArray();
        bytes[at] ^= 0x10;
        Assert.Throws<InvalidDataException>(() => TfRecord.ReadAll(bytes, out _));
    }
}
