using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flow;
using Mnist.Data;
using Mnist.Models;

namespace Mnist.Training;

/// <summary>
/// Everything a run needs to go on exactly where it was (TF's Saver, and more): every variable of the
/// graph (parameters, optimizer slots, Adam's powers, the global step), every random stream's state
/// (initialisers, dropout), the training set's shuffle position and permutation, the settings, the
/// metrics logged so far and the training time spent. On disk: a safetensors file whose metadata holds
/// the model, the settings, the step, the metrics and the time.
/// </summary>
/// <param name="Step">Steps done: a resumed run's first step has this index.</param>
/// <param name="Settings">The recipe as <see cref="TrainingSettings.Describe"/> writes it, plus "threads" and "self_test".</param>
public sealed record Checkpoint(
    string Model,
    int Step,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, HostTensor> Variables,
    IReadOnlyDictionary<string, ulong[]> RandomStates,
    DataSet.Position Data,
    IReadOnlyList<StepMetrics> Metrics,
    double TrainSeconds)
{
    private const string VariablePrefix = "variables/";
    private const string RandomPrefix = "random/";
    private const string OrderName = "data/order";
    private const string PositionName = "data/position";
    private const string StepKey = "step";
    private const string MetricsKey = "metrics";
    private const string SecondsKey = "train_seconds";
    public const string ThreadsKey = "threads";
    public const string SelfTestKey = "self_test";
    private const string DeviceKey = "device";
    private const string LogEveryKey = "log_every";
    private const string FixedLogEveryKey = "fixed_log_every";

    // Diverging runs log NaN losses; they travel as "NaN" like in metrics.jsonl.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The settings a checkpoint keeps: the recipe, and the thread count that makes a resumed run bit-identical.</summary>
    public static IReadOnlyDictionary<string, string> DescribeSettings(TrainingSettings s, int threads)
    {
        var d = new SortedDictionary<string, string>(s.Describe().ToDictionary(), StringComparer.Ordinal)
        {
            [ThreadsKey] = threads.ToString(CultureInfo.InvariantCulture),
            [SelfTestKey] = s.SelfTest ? "true" : "false",
            [DeviceKey] = s.Device,
            // The logged steps decide where validation runs, so a resumed run keeps them.
            [LogEveryKey] = s.LogEvery.ToString(CultureInfo.InvariantCulture),
            [FixedLogEveryKey] = s.FixedLogEvery ? "true" : "false",
        };
        return d;
    }

    /// <summary>Reads back <see cref="DescribeSettings"/> over the model's defaults.</summary>
    /// <exception cref="FormatException">A setting is malformed; the message names it.</exception>
    public TrainingSettings ReadSettings(TrainingSettings defaults)
    {
        var s = TrainingSettings.FromDescription(Settings, defaults);
        int? Positive(string key) => Settings.TryGetValue(key, out var t)
            ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n
                : throw new FormatException($"setting {key} = \"{t}\" is not a positive integer")
            : null;
        bool Flag(string key) => Settings.TryGetValue(key, out var f) && f == "true";
        return s with
        {
            Threads = Positive(ThreadsKey),
            SelfTest = Flag(SelfTestKey),
            Device = Settings.TryGetValue(DeviceKey, out var device) ? device : s.Device,
            LogEvery = Positive(LogEveryKey) ?? s.LogEvery,
            FixedLogEvery = Flag(FixedLogEveryKey),
        };
    }

    /// <param name="into">Host tensors (by variable name) to copy the variables into, reused from one checkpoint to the
    /// next so that a long run's checkpoints leave no garbage the size of the model; null allocates new ones.</param>
    public static Checkpoint Capture(string model, IReadOnlyDictionary<string, string> settings, int step, Session session,
        DataSet train, IReadOnlyList<StepMetrics> metrics, double trainSeconds, IReadOnlyDictionary<string, HostTensor>? into = null) =>
        new(model, step, settings,
            session.Graph.GlobalVariables.ToDictionary(v => v.Name, v =>
            {
                if (into is null) return session.GetValue(v);
                session.CopyValue(v, into[v.Name]);
                return into[v.Name];
            }, StringComparer.Ordinal),
            RandomOps(session).ToDictionary(o => o.Name, o => (ulong[])[.. Words(session.RandomFor(o).State)], StringComparer.Ordinal),
            train.SavePosition(), metrics.ToArray(), trainSeconds);

    /// <summary>Sets the session's variables and random streams and the training set's position to the saved ones.</summary>
    /// <exception cref="ModelFileException">The checkpoint lacks one of the graph's variables or streams, or holds another shape.</exception>
    public void Restore(Session session, DataSet train, string path)
    {
        foreach (var v in session.Graph.GlobalVariables)
        {
            if (!Variables.TryGetValue(v.Name, out var value))
                throw new ModelFileException($"checkpoint {path}: variable \"{v.Name}\" of the {Model} model is missing");
            if (value.DType != v.DType || !value.Shape.Equals(v.Shape))
                throw new ModelFileException($"checkpoint {path}: variable \"{v.Name}\" is {value.DType.Name()} {value.Shape}, the model needs {v.DType.Name()} {v.Shape}");
            session.SetValue(v, value);
        }
        foreach (var op in RandomOps(session))
        {
            if (!RandomStates.TryGetValue(op.Name, out var s))
                throw new ModelFileException($"checkpoint {path}: the state of random op \"{op.Name}\" is missing");
            try
            {
                session.RandomFor(op).State = new RandomStreamState(s[0], s[1], s[2], s[3]);
            }
            catch (ArgumentException e)
            {
                throw new ModelFileException($"checkpoint {path}: random op \"{op.Name}\": {e.Message}", e);
            }
        }
        try
        {
            train.RestorePosition(Data);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException($"checkpoint {path}: {e.Message}", e);
        }
    }

    public void Save(string path)
    {
        var tensors = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var (name, value) in Variables) tensors[VariablePrefix + name] = value;
        foreach (var (name, state) in RandomStates) tensors[RandomPrefix + name] = Words(state);
        tensors[OrderName] = HostTensor.From(Data.Order, Data.Order.Length);
        tensors[PositionName] = Words([Data.RandomState, (ulong)Data.IndexInEpoch, (ulong)Data.EpochsCompleted]);
        ModelFile.Save(path, Model, Settings, tensors, new Dictionary<string, string>
        {
            [StepKey] = Step.ToString(CultureInfo.InvariantCulture),
            [MetricsKey] = JsonSerializer.Serialize(Metrics, Json),
            [SecondsKey] = TrainSeconds.ToString("R", CultureInfo.InvariantCulture),
        });
    }

    /// <exception cref="ModelFileException">The file is missing, truncated, corrupt or not a checkpoint; the message names it.</exception>
    public static Checkpoint Load(string path)
    {
        var file = ModelFile.Load(path);
        ModelFileException Fail(string what) => new($"checkpoint {path}: {what}");
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v : throw Fail($"no \"{key}\" in the metadata: not a checkpoint");
        if (!int.TryParse(Meta(StepKey), NumberStyles.None, CultureInfo.InvariantCulture, out int step))
            throw Fail($"step \"{Meta(StepKey)}\" is not a number");
        if (!double.TryParse(Meta(SecondsKey), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            throw Fail($"train_seconds \"{Meta(SecondsKey)}\" is not a number");
        StepMetrics[] metrics;
        try
        {
            metrics = JsonSerializer.Deserialize<StepMetrics[]>(Meta(MetricsKey), Json) ?? [];
        }
        catch (JsonException e)
        {
            throw Fail($"metrics are not valid: {e.Message}");
        }

        var variables = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        var random = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
        foreach (var (name, tensor) in file.Tensors)
        {
            if (name.StartsWith(VariablePrefix, StringComparison.Ordinal)) variables[name[VariablePrefix.Length..]] = tensor;
            else if (name.StartsWith(RandomPrefix, StringComparison.Ordinal)) random[name[RandomPrefix.Length..]] = ReadWords(tensor, 4, name, Fail);
        }
        if (!file.Tensors.TryGetValue(OrderName, out var order) || order.DType != DType.Int32 || order.Shape.Rank != 1)
            throw Fail($"\"{OrderName}\" is missing or not an int32 vector");
        if (!file.Tensors.TryGetValue(PositionName, out var positionTensor)) throw Fail($"\"{PositionName}\" is missing");
        var position = ReadWords(positionTensor, 3, PositionName, Fail);
        if (position[1] > int.MaxValue || position[2] > int.MaxValue) throw Fail($"\"{PositionName}\" is out of range");
        var data = new DataSet.Position(position[0], order.AsSpan<int>().ToArray(), (int)position[1], (int)position[2]);
        return new Checkpoint(file.ModelName, step, file.Settings, variables, random, data, metrics, seconds);
    }

    /// <summary>The ops that draw from a random stream of the session (initialisers, dropout).</summary>
    private static IEnumerable<Operation> RandomOps(Session session) => session.Graph.Operations.Where(o => o.Def.Stateful);

    private static ulong[] Words(RandomStreamState s) => [s.S0, s.S1, s.S2, s.S3];

    /// <summary>64-bit words as an int32 tensor of twice their count (safetensors readers know no uint64 here).</summary>
    private static HostTensor Words(ReadOnlySpan<ulong> words)
    {
        var t = HostTensor.Zeros(DType.Int32, new Shape(words.Length * 2));
        MemoryMarshal.AsBytes(words).CopyTo(t.AsBytes());
        return t;
    }

    private static ulong[] ReadWords(HostTensor t, int count, string name, Func<string, ModelFileException> fail)
    {
        if (t.DType != DType.Int32 || t.Shape.Rank != 1 || t.Shape[0] != count * 2)
            throw fail($"\"{name}\" is {t.DType.Name()} {t.Shape}, expected int32 [{count * 2}]");
        return MemoryMarshal.Cast<byte, ulong>(t.AsBytes()).ToArray();
    }
}
