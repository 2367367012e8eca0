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
    internal const string MetadataKey = "__metadata__";
    internal const string ModelKey = "model";
    internal const string SettingsKey = "settings";

    internal ModelFile(string modelName, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, HostTensor> tensors,
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

    /// <summary>
    /// Reads a model written by <see cref="Save"/> (or any safetensors file with our metadata). The length
    /// field and the header are checked against the file's real size before anything else is read, so a
    /// huge, endless or special file costs no more memory than its size allows.
    /// </summary>
    /// <exception cref="ModelFileException">The file is missing, not a regular file, truncated or corrupt.</exception>
    public static ModelFile Load(string path) => ModelFileReader.Read(path);

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
}

/// <summary>The safetensors dtype names of the Flow dtypes a model can hold.</summary>
internal static class DTypeCodes
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
