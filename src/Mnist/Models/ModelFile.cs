using System.Buffers.Binary;
using System.Text.Json;
using Flow;
using Mnist.IO;

namespace Mnist.Models;

/// <summary>
/// A trained model on disk in the safetensors format, so Python's <c>safetensors</c> can read it too:
/// an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
/// range, then the raw little-endian tensor bytes. The model's name and settings travel as string
/// metadata ("model", and "settings" holding a JSON object of strings).
/// </summary>
public sealed class ModelFile
{
    private const string MetadataKey = "__metadata__";
    private const string ModelKey = "model";
    private const string SettingsKey = "settings";

    private ModelFile(string modelName, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, HostTensor> tensors,
        IReadOnlyDictionary<string, string> metadata)
    {
        ModelName = modelName;
        Settings = settings;
        Tensors = tensors;
        Metadata = metadata;
    }

    public string ModelName { get; }
    public IReadOnlyDictionary<string, string> Settings { get; }
    public IReadOnlyDictionary<string, HostTensor> Tensors { get; }
    /// <summary>The other string metadata entries (a checkpoint's step and metrics).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Writes the model to <paramref name="path"/> (through a temporary file, so a reader never sees
    /// half of it). Keys are written in ordinal order, so equal models give byte-identical files.
    /// </summary>
    /// <param name="metadata">More string metadata beside "model" and "settings" (a checkpoint's step).</param>
    public static void Save(string path, string modelName, IReadOnlyDictionary<string, string> settings,
        IReadOnlyDictionary<string, HostTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.ContainsKey(MetadataKey)) throw new ArgumentException($"'{MetadataKey}' is reserved, not a tensor name", nameof(tensors));

        var names = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        metadata ??= new Dictionary<string, string>();
        if (metadata.ContainsKey(ModelKey) || metadata.ContainsKey(SettingsKey))
            throw new ArgumentException($"metadata \"{ModelKey}\" and \"{SettingsKey}\" are the model's own", nameof(metadata));
        byte[] header = EncodeHeader(names, tensors, modelName, settings, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var name in names) stream.Write(tensors[name].AsBytes());
        });
    }

    /// <summary>Reads a model written by <see cref="Save"/> (or any safetensors file with our metadata).</summary>
    /// <exception cref="ModelFileException">The file is missing, truncated or corrupt.</exception>
    public static ModelFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"cannot read model file {path}: {e.Message}", e);
        }
        return new Reader(path, bytes).Read();
    }

    private static byte[] EncodeHeader(string[] names, IReadOnlyDictionary<string, HostTensor> tensors,
        string modelName, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> metadata)
    {
        var entries = new SortedDictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal)
        {
            [MetadataKey] = w =>
            {
                w.WriteStartObject();
                w.WriteString(ModelKey, modelName);
                w.WriteString(SettingsKey, EncodeSettings(settings));
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(key, value);
                w.WriteEndObject();
            },
        };
        long offset = 0;
        foreach (var name in names)
        {
            var tensor = tensors[name];
            long begin = offset, end = offset + tensor.AsBytes().Length;
            offset = end;
            entries[name] = w =>
            {
                w.WriteStartObject();
                w.WriteString("dtype", DTypeCodes.Code(tensor.DType));
                w.WriteStartArray("shape");
                foreach (int d in tensor.Shape.Dims) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(begin);
                w.WriteNumberValue(end);
                w.WriteEndArray();
                w.WriteEndObject();
            };
        }

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, writeValue) in entries)
            {
                writer.WritePropertyName(key);
                writeValue(writer);
            }
            writer.WriteEndObject();
        }
        // The format allows trailing spaces in the header; they align the data section to 8 bytes.
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static string EncodeSettings(IReadOnlyDictionary<string, string> settings) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(settings.ToDictionary(), StringComparer.Ordinal));

    /// <summary>Parses and checks one file's bytes; every failure names the file.</summary>
    private sealed class Reader(string path, byte[] bytes)
    {
        public ModelFile Read()
        {
            if (bytes.Length < 8) throw Fail($"file is truncated: {bytes.Length} bytes, too short for the 8-byte header length");
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (headerLength < 2 || headerLength > (ulong)(bytes.Length - 8))
                throw Fail($"bad header length {headerLength}: the file has {bytes.Length - 8} bytes after the length field");

            int dataStart = 8 + (int)headerLength;
            var data = bytes.AsMemory(dataStart);
            JsonDocument header;
            try
            {
                header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            }
            catch (JsonException e)
            {
                throw Fail($"header is not valid JSON: {e.Message}", e);
            }
            using (header)
            {
                if (header.RootElement.ValueKind != JsonValueKind.Object) throw Fail("header is not a JSON object");
                string? modelName = null;
                IReadOnlyDictionary<string, string> settings = new Dictionary<string, string>();
                IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
                var tensors = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
                var ranges = new List<(long Begin, long End, string Name)>();
                foreach (var entry in header.RootElement.EnumerateObject())
                {
                    if (entry.Name == MetadataKey)
                    {
                        (modelName, settings, metadata) = ReadMetadata(entry.Value);
                        continue;
                    }
                    var (tensor, begin, end) = ReadTensor(entry.Name, entry.Value, data.Span);
                    tensors[entry.Name] = tensor;
                    ranges.Add((begin, end, entry.Name));
                }
                CheckCoverage(ranges, data.Length);
                if (modelName is null) throw Fail($"header has no \"{MetadataKey}\".\"{ModelKey}\" naming the model");
                return new ModelFile(modelName, settings, tensors, metadata);
            }
        }

        private (string ModelName, IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> Others) ReadMetadata(JsonElement metadata)
        {
            if (metadata.ValueKind != JsonValueKind.Object) throw Fail($"\"{MetadataKey}\" is not a JSON object");
            string? model = null;
            IReadOnlyDictionary<string, string> settings = new Dictionary<string, string>();
            var others = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in metadata.EnumerateObject())
            {
                if (item.Value.ValueKind != JsonValueKind.String) throw Fail($"metadata \"{item.Name}\" is not a string");
                if (item.Name == ModelKey) model = item.Value.GetString();
                else if (item.Name == SettingsKey) settings = ReadSettings(item.Value.GetString()!);
                else others[item.Name] = item.Value.GetString()!;
            }
            return (model ?? throw Fail($"header has no \"{MetadataKey}\".\"{ModelKey}\" naming the model"), settings, others);
        }

        private IReadOnlyDictionary<string, string> ReadSettings(string json)
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

        private (HostTensor Tensor, long Begin, long End) ReadTensor(string name, JsonElement entry, ReadOnlySpan<byte> data)
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
            if (begin < 0 || end < begin || end > data.Length)
                throw Fail($"tensor \"{name}\": data_offsets [{begin}, {end}] out of range of the {data.Length}-byte data section (truncated file?)");

            long elements = shape.Aggregate(1L, (n, d) => n * d);
            long expected = elements * dtype.Size();
            if (end - begin != expected)
                throw Fail($"tensor \"{name}\": {end - begin} bytes do not match shape [{string.Join(", ", shape)}] of {code} ({expected} bytes)");

            var tensor = HostTensor.Zeros(dtype, new Shape(shape));
            data[(int)begin..(int)end].CopyTo(tensor.AsBytes());
            return (tensor, begin, end);
        }

        private JsonElement Property(string tensor, JsonElement entry, string name, JsonValueKind kind) =>
            entry.TryGetProperty(name, out var value) && value.ValueKind == kind
                ? value
                : throw Fail($"tensor \"{tensor}\": missing or malformed \"{name}\"");

        /// <summary>Like safetensors itself: the tensors must tile the data section exactly, no gaps, overlaps or tail.</summary>
        private void CheckCoverage(List<(long Begin, long End, string Name)> ranges, int dataLength)
        {
            long covered = 0;
            foreach (var (begin, end, name) in ranges.OrderBy(r => r.Begin).ThenBy(r => r.End))
            {
                if (begin != covered) throw Fail($"tensor \"{name}\" starts at byte {begin} of the data section, expected {covered}");
                covered = end;
            }
            if (covered != dataLength) throw Fail($"data section has {dataLength} bytes but the tensors cover {covered}");
        }

        private ModelFileException Fail(string what, Exception? inner = null) =>
            inner is null ? new($"model file {path}: {what}") : new($"model file {path}: {what}", inner);
    }
}

/// <summary>The safetensors dtype names of the Flow dtypes a model can hold.</summary>
file static class DTypeCodes
{
    public static string Code(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int32 => "I32",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no safetensors dtype"),
    };

    public static DType? Parse(string code) => code switch
    {
        "F32" => DType.Float32,
        "F64" => DType.Float64,
        "I32" => DType.Int32,
        "BOOL" => DType.Bool,
        _ => null,
    };
}
