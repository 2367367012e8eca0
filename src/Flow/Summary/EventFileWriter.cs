using System.Buffers.Binary;
using Tensorboard;
using Google.Protobuf;

namespace Flow.Summary;

/// <summary>
/// Writes a TensorBoard event file (tf.summary.FileWriter): <c>events.out.tfevents.&lt;seconds&gt;.&lt;host&gt;</c>,
/// a TFRecord stream of Event messages: the file version first, then the graph, scalars at logged steps and
/// images. Each call's records reach the operating system before it returns, so a killed run keeps them.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    public const string Prefix = "events.out.tfevents.";
    private const string FileVersion = "brain.Event:2";

    private readonly FileStream _file;

    private EventFileWriter(FileStream file, string path) => (_file, Path) = (file, path);

    public string Path { get; }

    /// <summary>Starts a new event file in <paramref name="folder"/>.</summary>
    public static EventFileWriter Create(string folder)
    {
        var now = DateTimeOffset.UtcNow;
        string path = System.IO.Path.Combine(folder, $"{Prefix}{now.ToUnixTimeSeconds()}.{Environment.MachineName}");
        var writer = new EventFileWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write), path);
        writer.Write(new Event { FileVersion = FileVersion });
        return writer;
    }

    /// <summary>
    /// Reopens a run's event file to go on from step <paramref name="step"/>: the records of that step and
    /// later ones (logged after the checkpoint the run resumes from) and a record cut short at the end
    /// are dropped, and new records are appended after the rest.
    /// </summary>
    /// <exception cref="InvalidDataException">A record's CRC does not match.</exception>
    public static EventFileWriter Resume(string path, long step)
    {
        var records = TfRecord.ReadAll(File.ReadAllBytes(path), out long end);
        long keep = records.FirstOrDefault(r => Event.Parser.ParseFrom(r.Data).Step >= step && r.Offset > 0, new(end, [])).Offset;
        var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(keep);
        file.Seek(keep, SeekOrigin.Begin);
        return new EventFileWriter(file, path);
    }

    /// <summary>The newest event file in <paramref name="folder"/>, or null.</summary>
    public static string? Find(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, Prefix + "*").Order(StringComparer.Ordinal).LastOrDefault() : null;

    /// <summary>Every event of a file, each record's CRCs checked (a record cut short at the end is left out).</summary>
    internal static IReadOnlyList<Event> Read(string path) =>
        TfRecord.ReadAll(File.ReadAllBytes(path), out _).Select(r => Event.Parser.ParseFrom(r.Data)).ToArray();

    public void AddGraph(Graph graph) => Write(new Event { GraphDef = GraphDefs.From(graph).ToByteString() });

    public void AddScalars(long step, IEnumerable<(string Tag, double Value)> scalars)
    {
        var summary = new Tensorboard.Summary();
        foreach (var (tag, value) in scalars) summary.Value.Add(new Tensorboard.Summary.Types.Value { Tag = tag, SimpleValue = (float)value });
        Write(new Event { Step = step, Summary = summary });
    }

    /// <summary>A PNG picture as an image summary (its size and colour type read from the PNG header).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a PNG.</exception>
    public void AddImage(long step, string tag, byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 26 || !png.AsSpan(0, 8).SequenceEqual(signature)) throw new InvalidDataException($"image '{tag}' is not a PNG");
        var image = new Tensorboard.Summary.Types.Image
        {
            Width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)),
            Height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)),
            // PNG colour types 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA.
            Colorspace = png[25] switch { 0 => 1, 4 => 2, 6 => 4, _ => 3 },
            EncodedImageString = ByteString.CopyFrom(png),
        };
        var summary = new Tensorboard.Summary();
        summary.Value.Add(new Tensorboard.Summary.Types.Value { Tag = tag, Image = image });
        Write(new Event { Step = step, Summary = summary });
    }

    private void Write(Event e)
    {
        e.WallTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        TfRecord.Write(_file, e.ToByteArray());
        _file.Flush();
    }

    public void Dispose() => _file.Dispose();
}
