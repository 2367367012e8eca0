using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;
using Flow;

namespace Mnist.Models;

/// <summary>
/// Reads and checks a safetensors model file in the order that bounds its cost by the file's size: the
/// file's size first (devices, FIFOs and sockets report 0 and are refused unopened, so /dev/zero is never
/// read forever and a FIFO never blocks), then the 8-byte length, then the header, whose tensors must
/// tile the rest of the file exactly, and only then the tensor bytes. Every failure names the file.
/// </summary>
internal sealed class ModelFileReader
{
    /// <summary>The largest header the safetensors format itself accepts (its MAX_HEADER_SIZE).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private readonly string _path;
    private readonly Stream _stream;
    private readonly long _size;

    private ModelFileReader(string path, Stream stream, long size)
    {
        _path = path;
        _stream = stream;
        _size = size;
    }

    private sealed record Entry(string Name, DType DType, int[] Shape, long Begin, long End);

    public static ModelFile Read(string path)
    {
        using var stream = Open(path);
        try
        {
            return new ModelFileReader(path, stream, stream.Length).Read();
        }
        catch (IOException e)
        {
            throw new ModelFileException($"cannot read model file {path}: {e.Message}", e);
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            if (Directory.Exists(path)) throw new ModelFileException($"model file {path}: is a directory, not a file");
            var info = new FileInfo(path);
            var target = info.Exists ? File.ResolveLinkTarget(path, returnFinalTarget: true) as FileInfo ?? info : info;
            if (target.Exists && target.Length < 8)
                throw new ModelFileException($"model file {path}: {target.Length} bytes: empty, truncated or not a regular file " +
                    "(a model file starts with an 8-byte header length)");
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"cannot read model file {path}: {e.Message}", e);
        }
    }

    private ModelFile Read()
    {
        if (_size < 8) throw Fail($"file is truncated: {_size} bytes, too short for the 8-byte header length");
        Span<byte> lengthField = stackalloc byte[8];
        ReadExactly(lengthField);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthField);
        if (headerLength < 2 || headerLength > (ulong)(_size - 8))
            throw Fail($"bad header length {headerLength}: the file has {_size - 8} bytes after the length field");
        if (headerLength > MaxHeaderBytes) throw Fail($"header of {headerLength} bytes exceeds the format's limit of {MaxHeaderBytes}");

        var header = new byte[(int)headerLength];
        ReadExactly(header);
        if (!Utf8.IsValid(header)) throw Fail("header is not valid UTF-8");
        long dataLength = _size - 8 - (long)headerLength;
        var (modelName, settings, metadata, entries) = ParseHeader(header, dataLength);
        CheckCoverage(entries, dataLength);

        var tensors = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var e in entries.OrderBy(e => e.Begin))
        {
            var tensor = HostTensor.Zeros(e.DType, new Shape(e.Shape));
            _stream.Position = 8 + (long)headerLength + e.Begin;
            ReadExactly(tensor.AsBytes());
            tensors[e.Name] = tensor;
        }
        return new ModelFile(modelName, settings, tensors, metadata);
    }

    private void ReadExactly(Span<byte> buffer)
    {
        try
        {
            _stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw Fail("file ended early (truncated, or changed while it was read)", e);
        }
    }

    private (string ModelName, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Metadata, List<Entry> Entries)
        ParseHeader(byte[] header, long dataLength)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Fail("header is not a JSON object");
            string? modelName = null;
            IReadOnlyDictionary<string, string> settings = new Dictionary<string, string>();
            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
            var entries = new List<Entry>();
            foreach (var item in document.RootElement.EnumerateObject())
            {
                if (item.Name == ModelFile.MetadataKey) (modelName, settings, metadata) = ReadMetadata(item.Value);
                else entries.Add(ReadEntry(item.Name, item.Value, dataLength));
            }
            var duplicate = entries.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw Fail($"tensor \"{duplicate.Key}\" appears twice in the header");
            return (modelName ?? throw Fail($"header has no \"{ModelFile.MetadataKey}\".\"{ModelFile.ModelKey}\" naming the model"), settings, metadata, entries);
        }
        catch (JsonException e)
        {
            throw Fail($"header is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json's word for text it cannot turn into a string (a lone surrogate escape, say).
            throw Fail($"header holds text that is not valid Unicode: {e.Message}", e);
        }
    }

    /// <returns>The model's name, its settings, and the other string entries (a checkpoint's step and metrics).</returns>
    private (string ModelName, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Others) ReadMetadata(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object) throw Fail($"\"{ModelFile.MetadataKey}\" is not a JSON object");
        string? model = null;
        IReadOnlyDictionary<string, string> settings = new Dictionary<string, string>();
        var others = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in metadata.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw Fail($"metadata \"{item.Name}\" is not a string");
            if (item.Name == ModelFile.ModelKey) model = item.Value.GetString();
            else if (item.Name == ModelFile.SettingsKey) settings = ReadSettings(item.Value.GetString()!);
            else others[item.Name] = item.Value.GetString()!;
        }
        return (model ?? throw Fail($"header has no \"{ModelFile.MetadataKey}\".\"{ModelFile.ModelKey}\" naming the model"), settings, others);
    }

    private Dictionary<string, string> ReadSettings(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json)
                ?? throw Fail("metadata \"settings\" is null, expected a JSON object of strings");
        }
        catch (JsonException e)
        {
            throw Fail($"metadata \"settings\" is not a JSON object of strings: {e.Message}", e);
        }
    }

    private Entry ReadEntry(string name, JsonElement entry, long dataLength)
    {
        if (entry.ValueKind != JsonValueKind.Object) throw Fail($"tensor \"{name}\": entry is not a JSON object");
        string code = Property(name, entry, "dtype", JsonValueKind.String).GetString()!;
        DType dtype = DTypeCodes.Parse(code) ?? throw Fail($"tensor \"{name}\": unknown dtype \"{code}\"");
        int[] shape = Property(name, entry, "shape", JsonValueKind.Array).EnumerateArray()
            .Select(d => d.TryGetInt32(out int v) && v >= 0 ? v : throw Fail($"tensor \"{name}\": bad dimension {d} in shape"))
            .ToArray();
        long[] offsets = Property(name, entry, "data_offsets", JsonValueKind.Array).EnumerateArray()
            .Select(o => o.TryGetInt64(out long v) ? v : throw Fail($"tensor \"{name}\": bad data offset {o}"))
            .ToArray();
        if (offsets.Length != 2) throw Fail($"tensor \"{name}\": data_offsets has {offsets.Length} numbers, expected [begin, end]");
        long begin = offsets[0], end = offsets[1];
        if (begin < 0 || end < begin || end > dataLength)
            throw Fail($"tensor \"{name}\": data_offsets [{begin}, {end}] out of range of the {dataLength}-byte data section (truncated file?)");

        // Counted against the data section as it goes, so a shape like [2^30, 2^30, 4] is refused, never multiplied out.
        long expected = dtype.Size();
        foreach (int d in shape)
        {
            if (d != 0 && expected > dataLength / d)
                throw Fail($"tensor \"{name}\": shape [{string.Join(", ", shape)}] of {code} needs more bytes than the {dataLength}-byte data section holds");
            expected *= d;
        }
        if (end - begin != expected)
            throw Fail($"tensor \"{name}\": {end - begin} bytes do not match shape [{string.Join(", ", shape)}] of {code} ({expected} bytes)");
        return new Entry(name, dtype, shape, begin, end);
    }

    private JsonElement Property(string tensor, JsonElement entry, string name, JsonValueKind kind) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw Fail($"tensor \"{tensor}\": missing or malformed \"{name}\"");

    /// <summary>Like safetensors itself: the tensors must tile the data section exactly, no gaps, overlaps or tail.</summary>
    private void CheckCoverage(List<Entry> entries, long dataLength)
    {
        long covered = 0;
        foreach (var e in entries.OrderBy(r => r.Begin).ThenBy(r => r.End))
        {
            if (e.Begin != covered) throw Fail($"tensor \"{e.Name}\" starts at byte {e.Begin} of the data section, expected {covered}");
            covered = e.End;
        }
        if (covered != dataLength) throw Fail($"data section has {dataLength} bytes but the tensors cover {covered}");
    }

    /// <remarks>Names and values quoted from the header may hold any character JSON can escape; control characters are
    /// written as escapes so the error stays one line.</remarks>
    private ModelFileException Fail(string what, Exception? inner = null)
    {
        string line = string.Concat(what.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return inner is null ? new($"model file {_path}: {line}") : new($"model file {_path}: {line}", inner);
    }
}
